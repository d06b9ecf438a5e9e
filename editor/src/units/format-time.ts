const timeFormats = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormat(locale: string, withDate: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${withDate}`;
  let format = timeFormats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, {
      ...(withDate ? { day: '2-digit', month: '2-digit', year: 'numeric' } : {}),
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hour12: false,
    });
    timeFormats.set(key, format);
  }
  return format;
}

/**
 * A source timestamp as an operator reads it: the time alone for today's
 * values, with the date once a value is older than that (a stale reading).
 */
export function formatTimestamp(t: number, locale: string, now: number = Date.now()): string {
  const sameDay = new Date(t).toDateString() === new Date(now).toDateString();
  return dateTimeFormat(locale, !sameDay).format(t);
}
