/** A legal text: sections of paragraphs and lists, one version per language. */
export interface LegalSection {
	heading: string;
	paragraphs?: string[];
	items?: string[];
}

export interface LegalDocument {
	title: string;
	/** ISO date of this version. */
	updated: string;
	intro?: string;
	sections: LegalSection[];
}

export type LegalVersions = { ru: LegalDocument; en: LegalDocument };
