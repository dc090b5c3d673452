/** The counter device itself: its clock, its storage, a busy server (issue 7, client half). */
export const device = {
	ru: {
		'counter.sync.unavailable': 'Сервер временно недоступен',
		'counter.clock.behind':
			'Часы устройства отстают от времени сервера на {diff}. Оплаты записываются по времени сервера, но исправьте дату и время в настройках устройства.',
		'counter.clock.ahead':
			'Часы устройства спешат относительно времени сервера на {diff}. Оплаты записываются по времени сервера, но исправьте дату и время в настройках устройства.',
		'counter.clock.hours': '{h} ч {m} мин',
		'counter.clock.minutes': '{m} мин',
		'counter.storage.granted': 'Браузер не удалит данные кассы при нехватке места.',
		'counter.storage.denied':
			'Браузер может удалить данные кассы при нехватке места на устройстве: установите приложение и не очищайте данные сайта, пока есть неотправленные операции.',
		'counter.storage.refused.quota':
			'Оплата не проведена: память устройства заполнена, операцию не удалось сохранить. Освободите место на устройстве и проведите оплату снова.',
		'counter.storage.refused.unavailable':
			'Оплата не проведена: браузер не даёт кассе сохранять данные (например, в режиме инкогнито). Откройте кассу в обычном окне браузера.',
		'counter.storage.refused.timeout':
			'Оплата не проведена: устройство не успело сохранить операцию. Попробуйте ещё раз.',
		'counter.storage.refused.failed':
			'Оплата не проведена: операцию не удалось сохранить на устройстве. Попробуйте ещё раз.',
		'counter.reason.server_error': 'Сервер не смог обработать операцию (ошибка на сервере)',
		'counter.attention.retry': 'Отправить снова',
		'counter.pay.customer.throttled':
			'Слишком много проверок клиентов за короткое время: клиент будет проверен при синхронизации'
	},
	en: {
		'counter.sync.unavailable': 'Server temporarily unavailable',
		'counter.clock.behind':
			'The device clock is {diff} behind the server. Payments are recorded by the server’s time, but please fix the date and time in the device settings.',
		'counter.clock.ahead':
			'The device clock is {diff} ahead of the server. Payments are recorded by the server’s time, but please fix the date and time in the device settings.',
		'counter.clock.hours': '{h} h {m} min',
		'counter.clock.minutes': '{m} min',
		'counter.storage.granted':
			'The browser will not delete the counter’s data when space runs low.',
		'counter.storage.denied':
			'The browser may delete the counter’s data when the device runs out of space: install the app and do not clear site data while operations wait to be sent.',
		'counter.storage.refused.quota':
			'Payment not taken: the device storage is full and the operation could not be saved. Free some space and take the payment again.',
		'counter.storage.refused.unavailable':
			'Payment not taken: the browser does not let the counter store data (a private window?). Open the counter in a normal browser window.',
		'counter.storage.refused.timeout':
			'Payment not taken: the device did not save the operation in time. Please try again.',
		'counter.storage.refused.failed':
			'Payment not taken: the operation could not be saved on this device. Please try again.',
		'counter.reason.server_error': 'The server failed to process the operation (server error)',
		'counter.attention.retry': 'Send again',
		'counter.pay.customer.throttled':
			'Too many customer checks in a short time: the customer will be checked when the device syncs'
	}
} as const;
