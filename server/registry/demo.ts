import type { CompanyRegistry, RegistryCompany } from './types';

/**
 * A bundled offline registry for demos and tests, used when no DaData key is configured.
 * The companies are invented; their INN, OGRN and OGRNIP carry valid Federal Tax Service
 * check digits (computed with src/lib/domain/inn.ts and checked in demo.test.ts), and the
 * fields are spelled the way DaData returns them, so both providers fill the form alike.
 */
export const DEMO_REGISTRY_COMPANIES: readonly RegistryCompany[] = [
	{
		inn: '1655012344',
		kpp: '165501001',
		ogrn: '1161690012340',
		name: 'ООО "ЧАЙХАНА ВОСТОК"',
		directorLastName: 'Хабибуллин',
		directorFirstName: 'Рустам',
		legalAddress: '420111, Респ Татарстан, г Казань, ул Баумана, д 44, офис 12',
		postcode: '420111',
		region: 'Респ Татарстан',
		city: 'Казань',
		street: 'ул Баумана',
		house: '44',
		office: 'офис 12'
	},
	{
		inn: '7730123456',
		kpp: '773001001',
		ogrn: '1177746123455',
		name: 'ООО "КОФЕЙНЯ НА АРБАТЕ"',
		directorLastName: 'Смирнова',
		directorFirstName: 'Елена',
		legalAddress: '121099, г Москва, ул Арбат, д 35, помещ 2',
		postcode: '121099',
		region: 'г Москва',
		city: 'Москва',
		street: 'ул Арбат',
		house: '35',
		office: 'помещ 2'
	},
	{
		inn: '7801122331',
		kpp: '780101001',
		ogrn: '1197847002231',
		name: 'ООО "ПЕКАРНЯ НЕВСКАЯ"',
		directorLastName: 'Кузнецов',
		directorFirstName: 'Андрей',
		legalAddress: '199034, г Санкт-Петербург, линия 6-я В.О., д 27, литера А',
		postcode: '199034',
		region: 'г Санкт-Петербург',
		city: 'Санкт-Петербург',
		street: 'линия 6-я В.О.',
		house: '27',
		building: 'литера А'
	},
	{
		inn: '6315045670',
		kpp: '631501001',
		ogrn: '1156316004569',
		name: 'ООО "ВОЛЖСКАЯ АПТЕКА"',
		directorLastName: 'Морозова',
		directorFirstName: 'Ольга',
		legalAddress: '443099, Самарская обл, г Самара, ул Куйбышева, д 92',
		postcode: '443099',
		region: 'Самарская обл',
		city: 'Самара',
		street: 'ул Куйбышева',
		house: '92'
	},
	{
		inn: '6670188990',
		kpp: '667001001',
		ogrn: '1186658008899',
		name: 'АО "УРАЛЬСКИЙ КНИЖНЫЙ ДОМ"',
		directorLastName: 'Белов',
		directorFirstName: 'Дмитрий',
		legalAddress: '620014, Свердловская обл, г Екатеринбург, ул Малышева, д 31, корп 2, офис 5',
		postcode: '620014',
		region: 'Свердловская обл',
		city: 'Екатеринбург',
		street: 'ул Малышева',
		house: '31',
		building: 'корп 2',
		office: 'офис 5'
	},
	{
		inn: '5406024682',
		kpp: '543301001',
		ogrn: '1205400002466',
		name: 'ООО "СИБИРСКИЙ ЦВЕТОК"',
		directorLastName: 'Павлова',
		directorFirstName: 'Анна',
		legalAddress: '630559, Новосибирская обл, рп Кольцово, пр-кт Никольский, д 12',
		postcode: '630559',
		region: 'Новосибирская обл',
		settlement: 'рп Кольцово',
		street: 'пр-кт Никольский',
		house: '12'
	},
	{
		inn: '5260035798',
		kpp: '526001001',
		ogrn: '1175275003573',
		name: 'ООО "АВТОМОЙКА ОКА"',
		directorLastName: 'Соколов',
		directorFirstName: 'Игорь',
		legalAddress: '603005, Нижегородская обл, г Нижний Новгород, ул Большая Покровская, д 18',
		postcode: '603005',
		region: 'Нижегородская обл',
		city: 'Нижний Новгород',
		street: 'ул Большая Покровская',
		house: '18'
	},
	{
		inn: '2310043216',
		kpp: '231001001',
		ogrn: '1192312004323',
		name: 'ООО "КУБАНСКАЯ ПИЦЦА"',
		directorLastName: 'Ткаченко',
		directorFirstName: 'Виктор',
		legalAddress: '350000, Краснодарский край, г Краснодар, ул Красная, д 120',
		postcode: '350000',
		region: 'Краснодарский край',
		city: 'Краснодар',
		street: 'ул Красная',
		house: '120'
	},
	{
		inn: '0274112235',
		kpp: '027401001',
		ogrn: '1160280001122',
		name: 'ООО "БАШКИРСКИЙ МЁД"',
		directorLastName: 'Галиев',
		directorFirstName: 'Айдар',
		legalAddress: '450077, Респ Башкортостан, г Уфа, ул Ленина, д 10',
		postcode: '450077',
		region: 'Респ Башкортостан',
		city: 'Уфа',
		street: 'ул Ленина',
		house: '10'
	},
	{
		inn: '165500112295',
		ogrn: '318169000123456',
		name: 'ИП Гарипова Алсу Ринатовна',
		directorLastName: 'Гарипова',
		directorFirstName: 'Алсу',
		legalAddress: 'Респ Татарстан, г Казань',
		region: 'Респ Татарстан',
		city: 'Казань'
	},
	{
		inn: '772455667780',
		ogrn: '320774600045673',
		name: 'ИП Орлов Сергей Петрович',
		directorLastName: 'Орлов',
		directorFirstName: 'Сергей',
		legalAddress: 'г Москва',
		region: 'г Москва',
		city: 'Москва'
	},
	{
		inn: '253611882253',
		ogrn: '319253600008819',
		name: 'ИП Ким Виктория Александровна',
		directorLastName: 'Ким',
		directorFirstName: 'Виктория',
		legalAddress: 'Приморский край, г Владивосток',
		region: 'Приморский край',
		city: 'Владивосток'
	}
];

/** The bundled registry: answers from DEMO_REGISTRY_COMPANIES, offline and at once. */
export function createDemoRegistry(
	companies: readonly RegistryCompany[] = DEMO_REGISTRY_COMPANIES
): CompanyRegistry {
	const byInn = new Map(companies.map((c) => [c.inn, c]));
	return {
		name: 'demo',
		async findById(inn) {
			const company = byInn.get(inn);
			return company ? { ...company } : null;
		}
	};
}
