/** Money safety (issue 18): money limits, held operations and the review queue. */
export const review = {
	ru: {
		'counter.reason.over_bill_limit':
			'Сумма счёта больше предела компании: операция не принята. Обратитесь к оператору Kopek',
		'counter.reason.over_cashback_limit':
			'Кэшбэк больше предела компании на одну операцию: операция не принята. Обратитесь к оператору Kopek',
		'redeem.error.over_bill_limit': 'Сумма счёта больше предела компании.',
		'redeem.error.over_cashback_limit': 'Кэшбэк больше предела компании на одну операцию.',
		'operator.money.title': 'Пределы сумм',
		'operator.money.current': 'Наибольший счёт: {bill}; наибольший кэшбэк за операцию: {cashback}.',
		'operator.money.defaults': '(по умолчанию)',
		'operator.money.bill': 'Наибольший счёт, ₽',
		'operator.money.cashback': 'Наибольший кэшбэк за операцию, ₽',
		'operator.money.save': 'Сохранить пределы',
		'operator.money.saved': 'Пределы сохранены',
		'operator.money.history': 'История пределов',
		'operator.money.error.bill': 'Введите сумму от 0,01 до 10 000 000 ₽',
		'operator.money.error.cashback': 'Введите сумму от 0 до наибольшего счёта'
	},
	en: {
		'counter.reason.over_bill_limit':
			"The bill is above the company's limit: not accepted. Contact the Kopek operator",
		'counter.reason.over_cashback_limit':
			"The cashback is above the company's per-operation limit: not accepted. Contact the Kopek operator",
		'redeem.error.over_bill_limit': "The bill is above the company's limit.",
		'redeem.error.over_cashback_limit': "The cashback is above the company's per-operation limit.",
		'operator.money.title': 'Money limits',
		'operator.money.current': 'Largest bill: {bill}; largest cashback per operation: {cashback}.',
		'operator.money.defaults': '(defaults)',
		'operator.money.bill': 'Largest bill, ₽',
		'operator.money.cashback': 'Largest cashback per operation, ₽',
		'operator.money.save': 'Save limits',
		'operator.money.saved': 'Limits saved',
		'operator.money.history': 'Limit history',
		'operator.money.error.bill': 'Enter an amount from 0.01 to 10,000,000 ₽',
		'operator.money.error.cashback': 'Enter an amount from 0 up to the largest bill'
	}
};
