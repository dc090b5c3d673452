import type { LegalVersions } from './document';

/**
 * The personal-data processing policy (Federal Law 152-FZ "On personal data", art. 18.1), the
 * seed's "Политика конфиденциальности". Consents recorded against it carry the hash of the
 * version shown (server/services/consent-records.ts): change `updated` with the text.
 */
export const privacy: LegalVersions = {
	ru: {
		title: 'Политика обработки персональных данных',
		updated: '2026-12-01',
		intro:
			'Политика обработки персональных данных (политика конфиденциальности) определяет, какие персональные данные обрабатывает сервис Kopek, зачем и как они защищаются. Политика составлена в соответствии с Федеральным законом от 27.07.2006 № 152-ФЗ «О персональных данных».',
		sections: [
			{
				heading: 'Оператор персональных данных',
				paragraphs: [
					'Оператором персональных данных является организация, управляющая сервисом Kopek (далее — Оператор). Обращения по вопросам персональных данных принимаются через личный кабинет или у регионального менеджера.'
				]
			},
			{
				heading: 'Какие данные мы обрабатываем',
				items: [
					'Представители компаний и партнёров: e-mail, номер телефона, фамилия и имя руководителя, сведения из представленных документов (в том числе паспортные данные руководителя).',
					'Клиенты (покупатели): имя, номер телефона, ID клиента, история покупок и начисленного кэшбэка.',
					'Технические данные: IP-адрес и сведения о браузере при входе, время входов — для защиты от подбора паролей.'
				]
			},
			{
				heading: 'Цели обработки',
				items: [
					'Регистрация и идентификация пользователей, предоставление доступа к личным кабинетам.',
					'Проверка компаний перед подключением к сервису.',
					'Учёт операций, начисление и списание кэшбэка, подготовка отчётов компании.',
					'Обеспечение безопасности сервиса и предотвращение мошенничества.',
					'Исполнение требований законодательства Российской Федерации.'
				]
			},
			{
				heading: 'Правовые основания',
				paragraphs: [
					'Данные обрабатываются на основании согласия субъекта персональных данных, для исполнения договора, стороной которого он является, и для выполнения обязанностей, возложенных на Оператора законом (пункты 1, 2 и 5 части 1 статьи 6 Закона № 152-ФЗ).'
				]
			},
			{
				heading: 'Как мы обрабатываем данные',
				items: [
					'Действия с данными: сбор, запись, систематизация, накопление, хранение, уточнение, извлечение, использование, блокирование, удаление и уничтожение.',
					'Запись, систематизация, накопление, хранение и уточнение персональных данных граждан РФ ведутся с использованием баз данных, находящихся на территории Российской Федерации (часть 5 статьи 18 Закона № 152-ФЗ).',
					'Компания видит только операции, совершённые у неё, и не получает доступа к операциям Клиента в других компаниях.',
					'Данные не передаются третьим лицам, кроме случаев, предусмотренных законом. Для заполнения реквизитов компании по ИНН может использоваться сервис сведений из государственного реестра юридических лиц; он получает только ИНН.'
				]
			},
			{
				heading: 'Защита данных',
				items: [
					'Пароли хранятся только в виде стойкого хеша (argon2id); восстановить пароль из хеша нельзя.',
					'Сеансы защищены случайными токенами; в базе данных хранится только их хеш. Соединение с сервисом шифруется (HTTPS).',
					'Число неудачных попыток входа ограничено, подбор пароля блокируется.',
					'Доступ к документам компании есть только у самой компании и у уполномоченных сотрудников Оператора.'
				]
			},
			{
				heading: 'Файлы cookie',
				paragraphs: [
					'Сервис использует только необходимые cookie: идентификатор сеанса (чтобы вы оставались в системе) и выбранный язык интерфейса. Рекламные и аналитические cookie не используются. Кассовое приложение хранит на устройстве очередь операций, ещё не отправленных на сервер.'
				]
			},
			{
				heading: 'Сроки хранения',
				paragraphs: [
					'Данные учётной записи хранятся, пока она действует. Сведения об операциях хранятся не менее срока, установленного законодательством о бухгалтерском учёте и налогах. После достижения целей обработки или отзыва согласия данные уничтожаются в течение 30 дней, если закон не требует хранить их дольше.'
				]
			},
			{
				heading: 'Согласия',
				paragraphs: [
					'Согласие на обработку персональных данных даётся отдельно от других документов, отметкой, которая по умолчанию не стоит. Согласие на получение рекламных сообщений даётся отдельно и по желанию: без него сервисом можно пользоваться полностью.',
					'О каждом согласии Оператор хранит запись: что именно было принято (версия текста), когда, с какого IP-адреса и из какого браузера.'
				]
			},
			{
				heading: 'Выгрузка и удаление данных клиентом',
				paragraphs: [
					'Клиент может в любой момент скачать свои данные (профиль, согласия, операции) в разделе «Моя карта».',
					'Клиент может удалить свою учётную запись. Тогда удаляются вход, имя, телефон, e-mail, сеансы и адреса в записях о согласиях, а согласия считаются отозванными. Операции остаются в учёте компаний, где они были совершены, без сведений о клиенте (обезличенно). Накопленный кэшбэк при удалении сгорает и не возвращается.'
				]
			},
			{
				heading: 'Ваши права',
				items: [
					'Получить сведения об обработке своих персональных данных.',
					'Потребовать уточнения, блокирования или уничтожения данных, если они неполные, устаревшие, неточные или обрабатываются незаконно.',
					'Отозвать согласие на обработку персональных данных.',
					'Обжаловать действия Оператора в Роскомнадзоре или в суде.',
					'Оператор отвечает на запрос в течение 10 рабочих дней с момента его получения.'
				]
			}
		]
	},
	en: {
		title: 'Personal Data Processing Policy',
		updated: '2026-12-01',
		intro:
			'This policy explains which personal data the Kopek service processes, why, and how it is protected, in line with Russian Federal Law No. 152-FZ “On personal data”. The Russian version prevails.',
		sections: [
			{
				heading: 'Data controller',
				paragraphs: [
					'The controller is the organisation running Kopek (the Operator). Requests about personal data are accepted through the cabinet or a regional manager.'
				]
			},
			{
				heading: 'Data we process',
				items: [
					'Company and partner representatives: e-mail, phone, the director’s name, data from submitted documents (including the director’s passport details).',
					'Customers: name, phone, customer ID, purchases and cashback history.',
					'Technical data: IP address and browser details at sign-in, sign-in times — to stop password guessing.'
				]
			},
			{
				heading: 'Purposes',
				items: [
					'Registering and identifying users and giving access to cabinets.',
					'Checking companies before they are connected.',
					'Recording operations, crediting and reversing cashback, company reports.',
					'Keeping the service secure and preventing fraud.',
					'Meeting the requirements of Russian law.'
				]
			},
			{
				heading: 'Legal grounds',
				paragraphs: [
					'Consent of the data subject, performance of a contract the subject is party to, and legal obligations of the Operator (Article 6(1)(1), (2) and (5) of Law 152-FZ).'
				]
			},
			{
				heading: 'How data is processed',
				items: [
					'Collection, recording, organisation, storage, updating, retrieval, use, blocking, deletion and destruction.',
					'Personal data of Russian citizens is recorded and stored in databases located in the Russian Federation (Article 18(5) of Law 152-FZ).',
					'A company sees only the operations made at that company, never a customer’s operations elsewhere.',
					'Data is not passed to third parties except where the law requires. Filling in company details by INN may use a state-register lookup service, which receives only the INN.'
				]
			},
			{
				heading: 'Protection',
				items: [
					'Passwords are stored only as a strong hash (argon2id).',
					'Sessions use random tokens; only their hash is stored. Connections are encrypted (HTTPS).',
					'Failed sign-in attempts are limited; password guessing is blocked.',
					'A company’s documents are available only to that company and to authorised Operator staff.'
				]
			},
			{
				heading: 'Cookies',
				paragraphs: [
					'Only necessary cookies are used: the session identifier and the chosen language. No advertising or analytics cookies. The counter app keeps operations not yet sent to the server on the device.'
				]
			},
			{
				heading: 'Retention',
				paragraphs: [
					'Account data is kept while the account exists. Operation records are kept at least as long as accounting and tax law requires. Once the purpose is achieved or consent is withdrawn, data is destroyed within 30 days unless the law requires longer storage.'
				]
			},
			{
				heading: 'Consents',
				paragraphs: [
					'Consent to the processing of personal data is given separately from other documents, with a box that is not ticked by default. Consent to advertising messages is separate and optional: the service can be used fully without it.',
					'For every consent the Operator keeps a record: what exactly was accepted (the text version), when, from which IP address and browser.'
				]
			},
			{
				heading: 'Download and erasure by the customer',
				paragraphs: [
					'A customer can download their data (profile, consents, operations) at any time under “My card”.',
					'A customer can delete their account. The login, name, phone, e-mail, sessions and the addresses in consent records are then erased, and the consents count as withdrawn. Operations stay in the books of the companies where they happened, without anything about the customer (anonymised). The cashback balance is forfeited on erasure and is not paid out.'
				]
			},
			{
				heading: 'Your rights',
				items: [
					'To learn how your personal data is processed.',
					'To have data corrected, blocked or destroyed if incomplete, outdated, inaccurate or unlawfully processed.',
					'To withdraw consent.',
					'To complain to Roskomnadzor or a court.',
					'The Operator answers within 10 working days of receiving a request.'
				]
			}
		]
	}
};
