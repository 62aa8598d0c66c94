import type { Messages } from '../../platform/i18n';

export const AUTH_MESSAGES: Messages = {
  en: {
    'reset.subject': 'Reset your Keepdesk password',
    'reset.body':
      'Hello {name},\n\nsomebody asked to reset the password of your Keepdesk account. Open this link within {hours} hours to choose a new one:\n\n{link}\n\nIf it was not you, ignore this e-mail; your password stays as it is.',
    'invite.subject': 'You have been invited to Keepdesk',
    'invite.body':
      'Hello {name},\n\nan account on Keepdesk was created for you. Open this link within {hours} hours to choose your password:\n\n{link}',
  },
  de: {
    'reset.subject': 'Ihr Keepdesk-Passwort zurücksetzen',
    'reset.body':
      'Hallo {name},\n\njemand möchte das Passwort Ihres Keepdesk-Kontos zurücksetzen. Öffnen Sie diesen Link innerhalb von {hours} Stunden, um ein neues zu wählen:\n\n{link}\n\nWaren Sie das nicht, ignorieren Sie diese E-Mail; Ihr Passwort bleibt unverändert.',
    'invite.subject': 'Sie wurden zu Keepdesk eingeladen',
    'invite.body':
      'Hallo {name},\n\nfür Sie wurde ein Konto bei Keepdesk angelegt. Öffnen Sie diesen Link innerhalb von {hours} Stunden, um Ihr Passwort zu wählen:\n\n{link}',
  },
};
