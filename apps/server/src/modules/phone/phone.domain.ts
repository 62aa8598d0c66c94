export type CallStatus = 'ringing' | 'answered' | 'ended' | 'missed';

const RANK: Record<CallStatus, number> = { ringing: 0, answered: 1, ended: 2, missed: 2 };

/**
 * The status after a telephony event. Webhooks arrive late, twice or out of order: a call never goes back
 * (an `answered` after `ended` changes nothing), and a call that ends without ever being answered was missed.
 */
export function nextStatus(current: CallStatus | null, event: CallStatus, wasAnswered: boolean): CallStatus {
  const wanted: CallStatus = event === 'ended' && !wasAnswered ? 'missed' : event;
  if (current === null) return wanted;
  return RANK[wanted] > RANK[current] ? wanted : current;
}

/** 245 → "4:05", 3725 → "1:02:05". */
export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

const LABELS = {
  de: {
    inbound: 'Eingehender Anruf',
    outbound: 'Ausgehender Anruf',
    missed: 'Verpasster Anruf',
    number: 'Nummer',
    duration: 'Dauer',
    agent: 'Angenommen von',
    recording: 'Aufnahme',
    notes: 'Notizen',
    subjectIn: 'Anruf von',
    subjectOut: 'Anruf bei',
    subjectMissed: 'Verpasster Anruf von',
  },
  en: {
    inbound: 'Inbound call',
    outbound: 'Outbound call',
    missed: 'Missed call',
    number: 'Number',
    duration: 'Duration',
    agent: 'Taken by',
    recording: 'Recording',
    notes: 'Notes',
    subjectIn: 'Call from',
    subjectOut: 'Call to',
    subjectMissed: 'Missed call from',
  },
} as const;

export interface CallRecord {
  direction: 'inbound' | 'outbound';
  missed: boolean;
  number: string;
  durationSeconds: number | null;
  agentName: string | null;
  recordingUrl: string | null;
  notes: string;
}

/** The call as a note on its ticket, in the customer's language (HTML; the values are escaped by the caller). */
export function callNote(language: string, call: CallRecord, escapeText: (text: string) => string): string {
  const l = LABELS[language === 'de' ? 'de' : 'en'];
  const title = call.missed ? l.missed : l[call.direction];
  const lines = [
    `<p><strong>${title}</strong></p>`,
    `<p>${l.number}: ${escapeText(call.number)}`,
    call.durationSeconds !== null ? `<br />${l.duration}: ${formatDuration(call.durationSeconds)}` : '',
    call.agentName ? `<br />${l.agent}: ${escapeText(call.agentName)}` : '',
    call.recordingUrl
      ? `<br />${l.recording}: <a href="${escapeText(call.recordingUrl)}">${escapeText(call.recordingUrl)}</a>`
      : '',
    '</p>',
    call.notes.trim() ? `<p>${l.notes}: ${escapeText(call.notes.trim()).replace(/\n/g, '<br />')}</p>` : '',
  ];
  return lines.join('');
}

/** The subject of a ticket a call opens. */
export function callSubject(
  language: string,
  direction: 'inbound' | 'outbound',
  missed: boolean,
  number: string,
) {
  const l = LABELS[language === 'de' ? 'de' : 'en'];
  return `${missed ? l.subjectMissed : direction === 'inbound' ? l.subjectIn : l.subjectOut} ${number}`;
}
