/** What the public pages say when the connection cannot keep a sign-in (plain http). */
export const connection = {
	ru: {
		'connection.insecure.title': 'Войти по этому адресу не получится',
		'connection.insecure.why':
			'Страница открыта без шифрования (http://{host}), а браузер сохраняет вход только при защищённом соединении HTTPS: после «Войти» вы снова окажетесь на этой странице.',
		'connection.insecure.fix':
			'Что сделать администратору сервера: включить HTTPS (например, Caddy с «tls internal», см. README) и открывать Kopek по адресу https://…; если HTTPS уже обслуживает прокси — указать Kopek его адрес в переменной ORIGIN (ORIGIN=https://{host}). На самом сервере можно войти по адресу http://localhost.',
		'connection.insecure.refused':
			'Вход не выполнен: по http:// браузер не сохранит вход. Что сделать — в сообщении выше.'
	},
	en: {
		'connection.insecure.title': 'Signing in at this address cannot work',
		'connection.insecure.why':
			'This page was opened without encryption (http://{host}), and the browser keeps a sign-in only over a secure HTTPS connection: after «Sign in» you would land back on this page.',
		'connection.insecure.fix':
			"What the server's administrator can do: turn HTTPS on (e.g. Caddy with `tls internal`, see the README) and open Kopek at its https://… address; if a proxy already serves HTTPS, give Kopek that address in the ORIGIN variable (ORIGIN=https://{host}). On the server itself, http://localhost works.",
		'connection.insecure.refused':
			'Not signed in: over http:// the browser would not keep the sign-in. See the message above.'
	}
} as const;
