/**
 * Password recovery (issue 19): «Забыли пароль?» on the login page, the request form, the
 * mail with the link, and the link's page. Password errors reuse catalogue/me.ts
 * (me.error.password.*), the sign-up policy's wording.
 */
export const passwordReset = {
	ru: {
		'reset.forgot': 'Забыли пароль?',
		'reset.request.title': 'Восстановление пароля',
		'reset.request.intro':
			'Укажите e-mail, с которым вы входите в Kopek. Мы отправим на него ссылку для смены пароля.',
		'reset.request.email': 'E-mail',
		'reset.request.submit': 'Отправить ссылку',
		'reset.request.sent':
			'Если такой адрес зарегистрирован, мы отправили на него ссылку для смены пароля. Она действует 1 час. Письмо может прийти через несколько минут; проверьте папку «Спам».',
		'reset.request.throttled': 'Слишком много запросов на восстановление. Повторите через {time}.',
		'reset.request.noEmail':
			'Кассиры входят по PIN-коду: новый PIN задаёт владелец компании в разделе «Кассы».',
		'reset.request.back': 'Вернуться ко входу',
		'reset.form.title': 'Новый пароль',
		'reset.form.intro':
			'Задайте новый пароль для {email}. После смены все входы на других устройствах будут завершены.',
		'reset.form.password': 'Новый пароль',
		'reset.form.passwordRepeat': 'Повторите новый пароль',
		'reset.form.submit': 'Сменить пароль',
		'reset.invalid.title': 'Ссылка недействительна',
		'reset.invalid.text':
			'Ссылка устарела или уже использована. Ссылка действует 1 час и только один раз. Запросите новую.',
		'reset.invalid.again': 'Запросить новую ссылку',
		'reset.done': 'Пароль изменён. Войдите с новым паролем.',
		'reset.mail.subject': 'Восстановление пароля Kopek',
		'reset.mail.text':
			'Здравствуйте!\n\nКто-то, возможно вы, запросил смену пароля для входа в Kopek с адресом {email}.\n\nЧтобы задать новый пароль, откройте ссылку:\n{link}\n\nСсылка действует 1 час и только один раз. Если вы не запрашивали смену пароля, просто удалите это письмо: пароль останется прежним.\n\n— Kopek'
	},
	en: {
		'reset.forgot': 'Forgot your password?',
		'reset.request.title': 'Password recovery',
		'reset.request.intro':
			'Enter the e-mail you sign in to Kopek with. We will send a link to change the password to it.',
		'reset.request.email': 'E-mail',
		'reset.request.submit': 'Send the link',
		'reset.request.sent':
			'If this address is registered, we have sent a link to change the password to it. It works for 1 hour. The mail may take a few minutes; check the spam folder.',
		'reset.request.throttled': 'Too many recovery requests. Try again in {time}.',
		'reset.request.noEmail':
			'Cashiers sign in with a PIN: the company owner sets a new PIN under «Terminals».',
		'reset.request.back': 'Back to sign-in',
		'reset.form.title': 'New password',
		'reset.form.intro':
			'Set a new password for {email}. Every sign-in on other devices will be ended.',
		'reset.form.password': 'New password',
		'reset.form.passwordRepeat': 'Repeat the new password',
		'reset.form.submit': 'Change the password',
		'reset.invalid.title': 'The link does not work',
		'reset.invalid.text':
			'The link has expired or has been used. A link works for 1 hour and only once. Ask for a new one.',
		'reset.invalid.again': 'Ask for a new link',
		'reset.done': 'The password has been changed. Sign in with the new password.',
		'reset.mail.subject': 'Kopek password recovery',
		'reset.mail.text':
			'Hello,\n\nSomeone, perhaps you, asked to change the password for signing in to Kopek with the address {email}.\n\nTo set a new password, open the link:\n{link}\n\nThe link works for 1 hour and only once. If you did not ask for this, just delete this mail: the password stays as it was.\n\n— Kopek'
	}
};
