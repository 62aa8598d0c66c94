import pino from 'pino';

export type Logger = pino.Logger;

/** JSON logs on stdout (or `destination`); request-bound loggers carry `reqId` on every line. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'keepdesk' },
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'password', '*.password'],
        remove: true,
      },
    },
    destination ?? pino.destination(1),
  );
}
