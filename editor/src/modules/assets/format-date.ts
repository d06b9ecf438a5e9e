const formats = new Map<string, Intl.DateTimeFormat>();

/** A recorded instant (status since, history) with its date: these are rarely from today. */
export function formatDateTime(iso: string, locale: string): string {
  let format = formats.get(locale);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', hour12: false });
    formats.set(locale, format);
  }
  return format.format(new Date(iso));
}
