import type { LegalVersions } from '$lib/legal/document';

/** "Порядок подключения юридического лица": the documents a company uploads for the review. */
export const connection: LegalVersions = {
	ru: {
		title: 'Порядок подключения юридического лица',
		updated: '2026-01-15',
		intro:
			'Чтобы компания могла начислять кэшбэк своим покупателям, служба партнёрского сектора Kopek проверяет её документы. Ниже — порядок подключения и перечень документов.',
		sections: [
			{
				heading: 'Шаги подключения',
				items: [
					'Зарегистрируйте компанию на странице «Регистрация»: e-mail (логин), телефон, пароль и ID пригласившего партнёра (1 — если вас никто не приглашал). Регистрация использует одну лицензию пригласившего партнёра.',
					'Войдите в личный кабинет компании и загрузите документы из раздела 2 (для ООО, АО и других юридических лиц) или раздела 3 (для индивидуального предпринимателя).',
					'В разделе «Мой профиль» укажите название компании, город и часовой пояс — по нему считаются дни, месяцы и годы в отчётах.',
					'Специалисты проверяют документы, как правило, в течение двух рабочих дней. Статус проверки виден на главной странице кабинета.',
					'После одобрения устанавливается процент кэшбэка по договору и открываются разделы «Оплата» и «Клиенты». Если документы не приняты, в кабинете будет указана причина — исправьте замечания и загрузите документы повторно.'
				]
			},
			{
				heading: 'Документы юридического лица',
				items: [
					'Заявление о подключении к сервису Kopek, подписанное руководителем и заверенное печатью (при наличии).',
					'Лист записи ЕГРЮЛ о создании юридического лица или выписка из ЕГРЮЛ, полученная не ранее чем за 30 дней до подачи.',
					'Устав: титульный лист, страницы о полномочиях единоличного исполнительного органа и последняя страница с отметкой налогового органа.',
					'Решение или протокол об избрании (назначении) руководителя.',
					'Паспорт руководителя: разворот с фотографией и страница с регистрацией.',
					'Доверенность — если документы подписывает не руководитель, а представитель.',
					'Карточка предприятия с банковскими реквизитами (ИНН, КПП, ОГРН, расчётный счёт, БИК, юридический адрес).'
				]
			},
			{
				heading: 'Документы индивидуального предпринимателя',
				items: [
					'Заявление о подключении к сервису Kopek, подписанное предпринимателем.',
					'Лист записи ЕГРИП или выписка из ЕГРИП, полученная не ранее чем за 30 дней до подачи.',
					'Паспорт предпринимателя: разворот с фотографией и страница с регистрацией.',
					'Реквизиты: ИНН, ОГРНИП, расчётный счёт, БИК банка, адрес.'
				]
			},
			{
				heading: 'Требования к файлам',
				items: [
					'Форматы: PDF, JPEG или PNG. Тип файла определяется по его содержимому: переименованный файл другого формата не будет принят.',
					'Размер одного файла — не более 10 МБ. Многостраничный документ удобнее загрузить одним PDF.',
					'Скан или фотография должны быть цветными и читаемыми целиком: без обрезанных краёв, бликов и посторонних предметов.',
					'Документы должны быть действующими на дату подачи; копии заверяются подписью руководителя.'
				]
			},
			{
				heading: 'Что дальше',
				paragraphs: [
					'Пока компания на проверке, начислять кэшбэк нельзя: кассы компании получат ответ «компания не активна». После одобрения операции принимаются по ставке, действующей в момент оплаты.',
					'Вопросы о подключении можно задать пригласившему партнёру или региональному менеджеру Kopek.'
				]
			}
		]
	},
	en: {
		title: 'How a legal entity is connected',
		updated: '2026-01-15',
		intro:
			'Before a company can give cashback to its customers, the Kopek partner team checks its documents. This page describes the steps and the documents required.',
		sections: [
			{
				heading: 'Steps',
				items: [
					'Register the company on the “Sign up” page: e-mail (login), phone, password and the inviting partner’s ID (1 if nobody invited you). Registration uses one license of the inviting partner.',
					'Sign in to the company cabinet and upload the documents of section 2 (companies) or section 3 (sole proprietors).',
					'In “My profile”, enter the company name, city and time zone: days, months and years in the reports follow it.',
					'Our staff usually check the documents within two working days. The status is shown on the cabinet’s home page.',
					'Once approved, the cashback rate of the contract is set and “Payment” and “Clients” open. If the documents are not accepted, the cabinet shows the reason: fix it and upload the documents again.'
				]
			},
			{
				heading: 'Documents of a legal entity',
				items: [
					'Application to join Kopek, signed by the director and sealed (if the company has a seal).',
					'Record sheet of the Unified State Register of Legal Entities (EGRUL) or an extract from it no older than 30 days.',
					'Articles of association: title page, the pages on the director’s powers and the last page with the tax office’s stamp.',
					'Decision or minutes appointing the director.',
					'Director’s passport: the photo page and the registration page.',
					'Power of attorney, if a representative signs instead of the director.',
					'Company card with bank details (INN, KPP, OGRN, account, BIC, legal address).'
				]
			},
			{
				heading: 'Documents of a sole proprietor',
				items: [
					'Application to join Kopek, signed by the entrepreneur.',
					'Record sheet of the register of individual entrepreneurs (EGRIP) or an extract no older than 30 days.',
					'Entrepreneur’s passport: the photo page and the registration page.',
					'Details: INN, OGRNIP, bank account, BIC, address.'
				]
			},
			{
				heading: 'File requirements',
				items: [
					'Formats: PDF, JPEG or PNG. The type is detected from the content: a renamed file of another format is refused.',
					'At most 10 MB per file. A multi-page document is best uploaded as one PDF.',
					'Scans or photos must be in colour and fully readable: no cut edges, glare or objects in the way.',
					'Documents must be valid on the day they are submitted; copies are signed by the director.'
				]
			},
			{
				heading: 'What happens next',
				paragraphs: [
					'While the company is under review it cannot give cashback: its counters get “company not active”. Once approved, operations are accepted at the rate in force at the time of payment.',
					'Questions about connecting can be put to the inviting partner or to a Kopek regional manager.'
				]
			}
		]
	}
};
