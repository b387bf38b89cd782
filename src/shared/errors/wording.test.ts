import { describe, expect, it } from 'vitest';
import { DocumentFieldsSchema } from '../domain/documents/model';
import { VoiceMimeTypeSchema } from '../http/voice';
import { textOfWording, wordError } from './index';

describe('textOfWording', () => {
  it('keys a message that is a catalogue wording, and leaves any other as it is', () => {
    expect(textOfWording('标题不能为空')).toEqual({ key: 'documents.titleRequired', message: '标题不能为空' });
    expect(wordError(textOfWording('标题不能为空'), 'en')).toBe('The title cannot be empty');
    expect(textOfWording('String must contain at most 200 character(s)')).toEqual({ message: 'String must contain at most 200 character(s)' });
  });

  it('keys the contracts\' own zod messages (title, copy number, recording format)', () => {
    const fields = DocumentFieldsSchema.safeParse({ title: ' ', copyNumber: '12' });
    expect(fields.success).toBe(false);
    const keys = fields.success ? [] : fields.error.issues.map((issue) => textOfWording(issue.message).key);
    expect(keys).toEqual(expect.arrayContaining(['documents.titleRequired', 'documents.copyNumberDigits']));
    const voice = VoiceMimeTypeSchema.safeParse('audio/mpeg');
    expect(voice.success ? undefined : textOfWording(voice.error.issues[0]?.message ?? '').key).toBe('voice.opusRequired');
  });
});
