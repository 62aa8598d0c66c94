import Holidays from 'date-holidays';

/** Public holidays come from date-holidays (maintained, data bundled, nothing downloaded). */
const cache = new Map<string, { date: string; name: string }[]>();

/** The public holidays (type `public`) of a country or one of its regions in a year, in the country's language. */
export function publicHolidays(country: string, region: string | null, year: number) {
  const key = `${country}:${region ?? ''}:${year}`;
  let days = cache.get(key);
  if (!days) {
    const calendar = region ? new Holidays(country, region) : new Holidays(country);
    days = (calendar.getHolidays(year) || [])
      .filter((h) => h.type === 'public')
      .map((h) => ({ date: h.date.slice(0, 10), name: h.name }));
    cache.set(key, days);
  }
  return days;
}

/** Every country date-holidays knows, with its states or regions, named in `language`. */
export function holidayRegions(language: 'de' | 'en') {
  const all = new Holidays();
  const countries = all.getCountries(language) ?? {};
  return Object.entries(countries)
    .map(([country, name]) => ({
      country,
      name,
      regions: Object.entries(all.getStates(country, language) ?? {}).map(([code, regionName]) => ({
        code,
        name: regionName,
      })),
    }))
    .sort((a, b) => a.name.localeCompare(b.name, language));
}

export function isKnownRegion(country: string, region: string | null): boolean {
  const all = new Holidays();
  if (!all.getCountries()?.[country]) return false;
  return region === null || Boolean(all.getStates(country)?.[region]);
}
