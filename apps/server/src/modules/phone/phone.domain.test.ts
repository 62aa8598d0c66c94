import { describe, expect, it } from 'vitest';
import { callNote, callSubject, formatDuration, nextStatus } from './phone.domain';

describe('nextStatus', () => {
  it('moves forward only, whatever order the events come in', () => {
    expect(nextStatus(null, 'ringing', false)).toBe('ringing');
    expect(nextStatus('ringing', 'answered', false)).toBe('answered');
    expect(nextStatus('answered', 'ended', true)).toBe('ended');
    expect(nextStatus('ended', 'answered', true)).toBe('ended');
    expect(nextStatus('ended', 'ringing', true)).toBe('ended');
    expect(nextStatus(null, 'ended', true)).toBe('ended');
  });

  it('calls a call that ends unanswered missed', () => {
    expect(nextStatus('ringing', 'ended', false)).toBe('missed');
    expect(nextStatus(null, 'missed', false)).toBe('missed');
    expect(nextStatus('missed', 'ended', false)).toBe('missed');
  });
});

describe('call notes', () => {
  const escapeText = (text: string) => text.replace(/</g, '&lt;');
  it('formats durations', () => {
    expect([0, 7, 65, 245, 3725].map(formatDuration)).toEqual(['0:00', '0:07', '1:05', '4:05', '1:02:05']);
  });

  it('write what happened in the customer language, escaped', () => {
    const note = callNote(
      'de',
      {
        direction: 'inbound',
        missed: false,
        number: '+49301234567',
        durationSeconds: 245,
        agentName: 'Anna <Agentin>',
        recordingUrl: 'https://pbx.example.com/r/1',
        notes: 'Rückruf\nmorgen',
      },
      escapeText,
    );
    expect(note).toBe(
      '<p><strong>Eingehender Anruf</strong></p><p>Nummer: +49301234567<br />Dauer: 4:05<br />Angenommen von: Anna &lt;Agentin><br />Aufnahme: <a href="https://pbx.example.com/r/1">https://pbx.example.com/r/1</a></p><p>Notizen: Rückruf<br />morgen</p>',
    );
    expect(callSubject('en', 'inbound', true, '+4930')).toBe('Missed call from +4930');
    expect(callSubject('de', 'outbound', false, '+4930')).toBe('Anruf bei +4930');
  });
});
