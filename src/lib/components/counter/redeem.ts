/** What the server confirmed for the customer's code (balance and the company's limit). */
export interface RedeemOffer {
	code: string;
	balanceKopecks: number;
	redeemMaxBp: number;
	rateBp: number;
}

/** A payment partly with cashback, as step 2 hands it to the wizard. */
export interface RedeemRequest {
	code: string;
	redeemKopecks: number;
}

/** What step 3 shows of a payment with cashback (the server's figures). */
export interface RedeemResult {
	billKopecks: number;
	paidKopecks: number;
	redeemedKopecks: number;
	cashbackKopecks: number;
	balanceKopecks: number;
}
