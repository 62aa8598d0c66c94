/** Every IANA time zone the browser knows, for pickers. */
export function timeZones(): string[] {
  return Intl.supportedValuesOf('timeZone');
}
