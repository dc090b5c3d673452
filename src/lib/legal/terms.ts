import type { LegalVersions } from './document';

/** The user agreement a company accepts at registration. */
export const terms: LegalVersions = {
	ru: {
		title: 'Пользовательское соглашение',
		updated: '2026-01-15',
		intro:
			'Настоящее соглашение регулирует использование сервиса Kopek — платформы начисления кэшбэка покупателям в магазинах и организациях, подключённых к сервису. Регистрируясь и отмечая согласие, вы принимаете условия соглашения в полном объёме (статья 438 Гражданского кодекса РФ).',
		sections: [
			{
				heading: 'Термины',
				items: [
					'Сервис — программный комплекс Kopek: сайт, личные кабинеты, кассовое приложение и программный интерфейс.',
					'Оператор — организация, управляющая Сервисом.',
					'Компания — юридическое лицо или индивидуальный предприниматель, зарегистрировавшиеся в Сервисе для начисления кэшбэка своим покупателям.',
					'Партнёр — агент Оператора, подключающий Компании; каждый Партнёр имеет числовой ID и лицензии на подключение.',
					'Клиент — покупатель, получивший в Сервисе ID клиента и QR-код.',
					'Операция — запись об оплате Клиентом покупки у Компании или о возврате такой оплаты.'
				]
			},
			{
				heading: 'Регистрация и учётная запись',
				items: [
					'Для регистрации Компания указывает e-mail (логин), телефон, пароль и ID пригласившего Партнёра. Регистрация использует одну лицензию этого Партнёра; если лицензий нет, регистрация невозможна.',
					'Доступ к начислению кэшбэка открывается после проверки документов Компании Оператором. Оператор вправе отказать в подключении, указав причину.',
					'Компания отвечает за достоверность сведений и документов и своевременно обновляет их в профиле.',
					'Компания хранит пароль в тайне и отвечает за действия, совершённые под её учётной записью. При подозрении на доступ посторонних Компания обязана сменить пароль — при смене пароля все другие сеансы завершаются.'
				]
			},
			{
				heading: 'Начисление кэшбэка',
				items: [
					'Процент кэшбэка устанавливается Оператором в соответствии с договором с Компанией и отображается в профиле. Изменение процента действует с указанного момента и не меняет уже совершённые Операции.',
					'Кэшбэк по Операции рассчитывается сервером Оператора по ставке, действовавшей в момент оплаты, и округляется до копейки по правилам математического округления. Сумма, показанная на кассе до синхронизации, является предварительной.',
					'Кассир идентифицирует Клиента по ID или QR-коду и вводит сумму фактически оплаченного счёта. Компания не вправе проводить Операции без реальной покупки.',
					'Операции, проведённые без связи с интернетом, передаются на сервер при появлении связи; Операция, не переданная в течение 30 дней, не принимается.'
				]
			},
			{
				heading: 'Возвраты',
				paragraphs: [
					'Если покупатель вернул товар или отказался от услуги, Компания оформляет возврат Операции в разделе «Клиенты» в течение 30 дней с указанием причины. Возврат списывает с Клиента начисленный по Операции кэшбэк; одна Операция может быть возвращена только один раз.'
				]
			},
			{
				heading: 'Обязанности и ограничения',
				items: [
					'Компания использует Сервис только в законных целях и не пытается получить доступ к данным других Компаний и Клиентов.',
					'Компания соблюдает законодательство о персональных данных в отношении сведений о Клиентах, ставших ей известными.',
					'Оператор вправе приостановить доступ Компании при нарушении соглашения, при выявлении фиктивных Операций или по требованию закона.'
				]
			},
			{
				heading: 'Ответственность',
				paragraphs: [
					'Сервис предоставляется «как есть». Оператор принимает разумные меры для бесперебойной работы, но не отвечает за перерывы, вызванные работами у операторов связи, отключением электричества или действиями третьих лиц.',
					'Оператор не отвечает за убытки Компании, возникшие из-за недостоверных сведений, переданных Компанией, или раскрытия ею своего пароля.'
				]
			},
			{
				heading: 'Изменение соглашения и применимое право',
				paragraphs: [
					'Оператор вправе изменять соглашение, публикуя новую редакцию на этой странице. Продолжение использования Сервиса после публикации означает согласие с новой редакцией.',
					'К соглашению применяется право Российской Федерации. Споры разрешаются путём переговоров, а при недостижении согласия — в суде по месту нахождения Оператора.'
				]
			}
		]
	},
	en: {
		title: 'User Agreement',
		updated: '2026-01-15',
		intro:
			'This agreement governs the use of Kopek, a platform that gives cashback to customers of the shops and businesses connected to it. By registering and ticking the consent box you accept it in full (Article 438 of the Civil Code of the Russian Federation). The Russian version prevails.',
		sections: [
			{
				heading: 'Terms',
				items: [
					'Service: the Kopek software — website, cabinets, counter app and API.',
					'Operator: the organisation running the Service.',
					'Company: a legal entity or sole proprietor registered to give cashback to its customers.',
					'Partner: an agent of the Operator who connects Companies; each has a numeric ID and connection licenses.',
					'Customer: a shopper with a customer ID and QR code.',
					'Operation: a record of a Customer’s payment at a Company, or of its refund.'
				]
			},
			{
				heading: 'Registration and account',
				items: [
					'A Company registers with an e-mail (login), phone, password and the inviting Partner’s ID. Registration uses one license of that Partner; without licenses it is impossible.',
					'Cashback opens once the Operator has checked the Company’s documents. The Operator may refuse, giving the reason.',
					'The Company is responsible for the accuracy of its data and documents and keeps its profile up to date.',
					'The Company keeps its password secret and is responsible for what is done under its account. Changing the password ends all other sessions.'
				]
			},
			{
				heading: 'Cashback',
				items: [
					'The cashback rate is set by the Operator per the contract and shown in the profile. A new rate applies from its stated moment and does not change past Operations.',
					'Cashback is computed by the Operator’s server at the rate in force at the time of payment and rounded half up to the kopeck. The figure shown at the counter before synchronisation is provisional.',
					'The cashier identifies the Customer by ID or QR code and enters the amount actually paid. Operations without a real purchase are forbidden.',
					'Operations taken offline are sent when the connection returns; an Operation not sent within 30 days is not accepted.'
				]
			},
			{
				heading: 'Refunds',
				paragraphs: [
					'When goods are returned, the Company records the refund under “Clients” within 30 days, with a reason. The refund takes back the cashback of the Operation; an Operation can be refunded once.'
				]
			},
			{
				heading: 'Obligations and limits',
				items: [
					'The Company uses the Service lawfully and does not try to reach other Companies’ or Customers’ data.',
					'The Company complies with personal data law regarding the Customer data it learns.',
					'The Operator may suspend a Company for breaches, fictitious Operations or where the law requires.'
				]
			},
			{
				heading: 'Liability',
				paragraphs: [
					'The Service is provided “as is”. The Operator takes reasonable care to keep it running but is not liable for interruptions caused by telecom operators, power cuts or third parties.',
					'The Operator is not liable for losses caused by inaccurate data from the Company or by the Company disclosing its password.'
				]
			},
			{
				heading: 'Changes and governing law',
				paragraphs: [
					'The Operator may change this agreement by publishing a new version here; continued use means acceptance.',
					'Russian law applies. Disputes are settled by negotiation, failing which by the court at the Operator’s location.'
				]
			}
		]
	}
};
