/** Issue 18 (SPEC C16): the lookup limit at every door, and code locks only where they happen. */
export const probes = {
	ru: {
		'counter.sync.throttled':
			'Слишком много проверок клиентов: операции сохранены и будут отправлены позже',
		'redeem.error.throttled':
			'Слишком много проверок клиентов за короткое время. Попробуйте позже или проведите оплату без кэшбэка.',
		'operator.probes.title': 'Проверки несуществующих клиентов за 24 часа',
		'operator.probes.hint':
			'Компании, чьи синхронизации, оплаты кэшбэком или проверки спрашивали о несуществующих номерах клиентов, или упирались в лимит проверок.',
		'operator.probes.empty': 'Таких компаний нет.',
		'operator.probes.col.company': 'Компания',
		'operator.probes.col.unknown': 'Несуществующих номеров',
		'operator.probes.col.throttled': 'Отказов по лимиту',
		'operator.probes.col.last': 'Последний раз',
		'operator.probes.locks': 'Оплата кэшбэком заблокирована по общему потолку неверных кодов',
		'operator.probes.lock': 'Клиент {id}: в компаниях, где были неверные коды ({n}), до {time}',
		'me.lock.company':
			'Оплата кэшбэком в «{company}» заблокирована до {time}: несколько неверных кодов',
		'me.lock.platform':
			'Оплата кэшбэком в «{company}» заблокирована до {time}: много неверных кодов в нескольких компаниях'
	},
	en: {
		'counter.sync.throttled':
			'Too many customer checks: the operations are kept and will be sent later',
		'redeem.error.throttled':
			'Too many customer checks in a short time. Try again later or take the payment without cashback.',
		'operator.probes.title': 'Checks of nonexistent customers in the last 24 hours',
		'operator.probes.hint':
			'Companies whose syncs, redemptions or lookups asked about customer IDs that do not exist, or ran into the lookup limit.',
		'operator.probes.empty': 'No such companies.',
		'operator.probes.col.company': 'Company',
		'operator.probes.col.unknown': 'Nonexistent IDs',
		'operator.probes.col.throttled': 'Refused by the limit',
		'operator.probes.col.last': 'Last time',
		'operator.probes.locks': 'Redemption locked by the platform-wide ceiling of wrong codes',
		'operator.probes.lock': 'Customer {id}: at the companies with wrong codes ({n}), until {time}',
		'me.lock.company':
			'Paying with cashback at “{company}” is locked until {time}: several wrong codes',
		'me.lock.platform':
			'Paying with cashback at “{company}” is locked until {time}: many wrong codes at several companies'
	}
};
