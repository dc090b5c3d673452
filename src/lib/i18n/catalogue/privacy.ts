/**
 * Personal data (SPEC C12, 152-FZ): the customer's consents at sign-up, "My data" (download,
 * erasure), and the operator's view of consents and erasures. The consent wordings here are
 * part of what a recorded consent's hash covers (server/services/consent-records.ts).
 */
export const privacy = {
	ru: {
		'privacy.consent.personalData':
			'Я даю согласие на обработку моих персональных данных для участия в программе кэшбэка Kopek на условиях',
		'privacy.consent.personalData.link': 'Политики обработки персональных данных',
		'privacy.consent.marketing':
			'Я согласен получать рекламные сообщения об акциях и предложениях на e-mail и по SMS (по желанию; согласие можно отозвать в любой момент)',
		'privacy.consent.optional': 'Необязательно',
		'privacy.error.consentPersonalData.required':
			'Без согласия на обработку персональных данных карту выпустить нельзя',

		'privacy.me.title': 'Мои данные',
		'privacy.me.intro': 'Вы можете скачать всё, что Kopek знает о вас, или удалить учётную запись.',
		'privacy.me.download': 'Скачать мои данные (JSON)',
		'privacy.me.downloadHint': 'Профиль, согласия и все операции в одном файле',
		'privacy.me.delete': 'Удалить учётную запись',

		'privacy.delete.title': 'Удаление учётной записи',
		'privacy.delete.balance': 'Ваш кэшбэк: {balance}',
		'privacy.delete.warning':
			'При удалении накопленный кэшбэк {balance} сгорает: его нельзя будет потратить или получить обратно. Восстановить учётную запись нельзя.',
		'privacy.delete.erased':
			'Удаляются: вход, имя, телефон, e-mail, сеансы, адреса в записях о согласиях.',
		'privacy.delete.kept':
			'Остаются: операции в учёте компаний, где вы покупали, — без ваших данных (обезличенно).',
		'privacy.delete.downloadFirst': 'Сначала можно скачать свои данные',
		'privacy.delete.password': 'Пароль для подтверждения',
		'privacy.delete.confirm':
			'Я понимаю, что кэшбэк {balance} сгорит, а учётную запись нельзя восстановить',
		'privacy.delete.submit': 'Удалить учётную запись навсегда',
		'privacy.delete.cancel': 'Вернуться к карте',
		'privacy.delete.error.password': 'Неверный пароль',
		'privacy.delete.error.confirm': 'Подтвердите, что понимаете последствия',
		'privacy.delete.error.already_erased': 'Учётная запись уже удалена',
		'privacy.deleted.title': 'Учётная запись удалена',
		'privacy.deleted.text':
			'Ваши персональные данные удалены, вход закрыт. Операции остались в учёте компаний обезличенно.',
		'privacy.deleted.home': 'На главную',

		'privacy.purpose.personal_data': 'Обработка персональных данных',
		'privacy.purpose.marketing': 'Рекламные сообщения',
		'privacy.purpose.terms': 'Пользовательское соглашение',
		'privacy.consents.title': 'Согласия',
		'privacy.consents.empty': 'Записей о согласиях нет',
		'privacy.col.purpose': 'Согласие',
		'privacy.col.document': 'Текст (версия)',
		'privacy.col.hash': 'Хеш текста',
		'privacy.col.givenAt': 'Дано',
		'privacy.col.ip': 'IP-адрес',
		'privacy.col.userAgent': 'Браузер',
		'privacy.col.withdrawnAt': 'Отозвано',
		'privacy.erased': 'удалён',

		'privacy.operator.title': 'Клиенты и персональные данные',
		'privacy.operator.search': 'ID клиента, телефон или e-mail',
		'privacy.operator.find': 'Найти',
		'privacy.operator.notFound': 'Клиент не найден',
		'privacy.operator.customer': 'Клиент {id}',
		'privacy.operator.name': 'Имя',
		'privacy.operator.phone': 'Телефон',
		'privacy.operator.email': 'E-mail',
		'privacy.operator.createdAt': 'Зарегистрирован',
		'privacy.operator.erasedAt': 'Удалён',
		'privacy.operator.erasures': 'Журнал удалений',
		'privacy.operator.erasures.empty': 'Удалений ещё не было',
		'privacy.operator.col.erasedAt': 'Когда',
		'privacy.operator.col.customer': 'ID клиента',
		'privacy.operator.col.forfeited': 'Сгорело кэшбэка',
		'privacy.operator.col.operations': 'Операций сохранено',
		'privacy.operator.col.consents': 'Согласий отозвано',
		'privacy.company.consents': 'Согласия при регистрации',
		'privacy.moscowTime': '(МСК)'
	},
	en: {
		'privacy.consent.personalData':
			'I consent to the processing of my personal data to take part in the Kopek cashback programme under the',
		'privacy.consent.personalData.link': 'Personal Data Processing Policy',
		'privacy.consent.marketing':
			'I agree to receive advertising messages about offers and promotions by e-mail and SMS (optional; can be withdrawn at any time)',
		'privacy.consent.optional': 'Optional',
		'privacy.error.consentPersonalData.required':
			'A card cannot be issued without consent to the processing of personal data',

		'privacy.me.title': 'My data',
		'privacy.me.intro':
			'You can download everything Kopek knows about you, or delete your account.',
		'privacy.me.download': 'Download my data (JSON)',
		'privacy.me.downloadHint': 'Profile, consents and every operation in one file',
		'privacy.me.delete': 'Delete my account',

		'privacy.delete.title': 'Delete the account',
		'privacy.delete.balance': 'Your cashback: {balance}',
		'privacy.delete.warning':
			'Deleting forfeits your cashback of {balance}: it can no longer be spent or paid out. The account cannot be restored.',
		'privacy.delete.erased':
			'Erased: the login, name, phone, e-mail, sessions and the addresses in consent records.',
		'privacy.delete.kept':
			'Kept: the operations in the books of the companies where you shopped, without your data (anonymised).',
		'privacy.delete.downloadFirst': 'You can download your data first',
		'privacy.delete.password': 'Password to confirm',
		'privacy.delete.confirm':
			'I understand that my cashback of {balance} is forfeited and the account cannot be restored',
		'privacy.delete.submit': 'Delete the account for good',
		'privacy.delete.cancel': 'Back to the card',
		'privacy.delete.error.password': 'Wrong password',
		'privacy.delete.error.confirm': 'Please confirm that you understand the consequences',
		'privacy.delete.error.already_erased': 'The account is already deleted',
		'privacy.deleted.title': 'Account deleted',
		'privacy.deleted.text':
			'Your personal data is erased and the login is closed. The operations stay in the companies’ books, anonymised.',
		'privacy.deleted.home': 'Home',

		'privacy.purpose.personal_data': 'Processing of personal data',
		'privacy.purpose.marketing': 'Advertising messages',
		'privacy.purpose.terms': 'User Agreement',
		'privacy.consents.title': 'Consents',
		'privacy.consents.empty': 'No consent records',
		'privacy.col.purpose': 'Consent',
		'privacy.col.document': 'Text (version)',
		'privacy.col.hash': 'Text hash',
		'privacy.col.givenAt': 'Given',
		'privacy.col.ip': 'IP address',
		'privacy.col.userAgent': 'Browser',
		'privacy.col.withdrawnAt': 'Withdrawn',
		'privacy.erased': 'erased',

		'privacy.operator.title': 'Customers and personal data',
		'privacy.operator.search': 'Customer ID, phone or e-mail',
		'privacy.operator.find': 'Find',
		'privacy.operator.notFound': 'No such customer',
		'privacy.operator.customer': 'Customer {id}',
		'privacy.operator.name': 'Name',
		'privacy.operator.phone': 'Phone',
		'privacy.operator.email': 'E-mail',
		'privacy.operator.createdAt': 'Signed up',
		'privacy.operator.erasedAt': 'Erased',
		'privacy.operator.erasures': 'Erasure log',
		'privacy.operator.erasures.empty': 'No erasures yet',
		'privacy.operator.col.erasedAt': 'When',
		'privacy.operator.col.customer': 'Customer ID',
		'privacy.operator.col.forfeited': 'Cashback forfeited',
		'privacy.operator.col.operations': 'Operations kept',
		'privacy.operator.col.consents': 'Consents withdrawn',
		'privacy.company.consents': 'Consents at registration',
		'privacy.moscowTime': '(Moscow time)'
	}
};
