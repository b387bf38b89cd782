/**
 * 消息: the conversation list (unread counts, the last message), 新建会话 (people found by name,
 * pinyin initials or unit), and the thread with the message box 输入消息 and 发送 (Enter sends,
 * Shift+Enter breaks the line), 已读 N/M on one's own messages, files and images, document cards,
 * 撤回 and 编辑 within two minutes, @mentions, presence and 免打扰. Everything goes through
 * `api.messaging` (main keeps the replica, the outbox and the socket).
 */
import { useCallback, useEffect, useMemo, useRef, useState, type ChangeEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatMessage, Session } from '../../../shared/api';
import type { DirectoryUnit, DirectoryUser } from '../../../shared/http/directory';
import { MESSAGE_CHANGE_WINDOW_MS, READ_NAMES_MAX_MEMBERS, type Conversation, type PresenceState } from '../../../shared/http/messaging';
import { useApi } from '../../app/apiContext';
import { SectionPage } from '../../components/SectionPage';
import { DocumentView } from '../document/DocumentView';
import { useApiEvent } from '../document/useApiEvent';
import { formatDuration } from '../../../shared/domain/documents/voiceDuration';
import { VoiceAudio, VoiceRecorder, type VoiceRecording } from '../signoff';
import { searchPeople } from './peopleSearch';
import '../../styles/messaging.css';
import { describeError, describeReason } from '../../i18n/errors';
import { messagePreview } from './preview';
import { joinList } from '../../i18n/terms';

const MAX_FILE_BYTES = 50 * 1024 * 1024;

/** A voice message's longest recording (the server's VoiceNote allows 10 minutes). */
const VOICE_MAX_SECONDS = 120;

/** The base64 of a file or a piece of one (the bridge carries strings). */
async function base64Of(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function MessagesSection() {
  const { t } = useTranslation();
  const api = useApi();
  const [session, setSession] = useState<Session | null>(null);
  const [conversations, setConversations] = useState<Conversation[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [reads, setReads] = useState<{ userId: string; name: string; readSeq: number }[]>([]);
  const [users, setUsers] = useState<DirectoryUser[]>([]);
  const [units, setUnits] = useState<DirectoryUnit[]>([]);
  const [presence, setPresence] = useState<Record<string, PresenceState>>({});
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [openDocument, setOpenDocument] = useState<string | null>(null);
  const [editing, setEditing] = useState<{ id: string; text: string } | null>(null);
  /** The file being sent: bytes handed to main so far, of its size. */
  const [upload, setUpload] = useState<{ name: string; sent: number; size: number } | null>(null);
  const [voice, setVoice] = useState<VoiceRecording | null>(null);
  /** Remounts the recorder (cleared) once its recording was sent. */
  const [recorderKey, setRecorderKey] = useState(0);
  const me = session?.user.id ?? '';

  const names = useMemo(() => new Map(users.map((u) => [u.id, u.name])), [users]);
  const current = conversations.find((c) => c.id === selected) ?? null;

  const loadList = useCallback(async () => {
    const result = await api.messaging.conversations({});
    if (result.ok) setConversations(result.value.items);
  }, [api]);

  /** A file of the open conversation as a blob: URL (inline images, voice messages); stable per conversation. */
  const loadFileUrl = useCallback(
    async (sha256: string): Promise<string | null> => {
      if (!selected) return null;
      const result = await api.messaging.file({ conversationId: selected, sha256 });
      if (!result.ok) return null;
      const bytes = Uint8Array.from(atob(result.value.base64), (ch) => ch.charCodeAt(0));
      return URL.createObjectURL(new Blob([bytes], { type: result.value.mimeType }));
    },
    [api, selected],
  );

  const loadThread = useCallback(
    async (conversationId: string) => {
      const history = await api.messaging.history({ conversationId, limit: 100 });
      if (!history.ok) return setError(describeError(history.error, t));
      setMessages(history.value.items);
      const marks = await api.messaging.reads({ conversationId });
      if (marks.ok) setReads(marks.value.items);
      const last = history.value.items.filter((m) => m.seq !== null).at(-1)?.seq;
      if (last) await api.messaging.markRead({ conversationId, seq: last });
    },
    [api],
  );

  useEffect(() => {
    void (async () => {
      const who = await api.session.current({});
      if (who.ok) setSession(who.value);
      const [u, d] = await Promise.all([api.directory.users({}), api.directory.units({})]);
      if (u.ok) setUsers(u.value.items);
      if (d.ok) setUnits(d.value.items);
      await loadList();
    })();
  }, [api, loadList]);

  useEffect(() => {
    if (selected) void loadThread(selected);
  }, [selected, loadThread]);

  useEffect(() => {
    if (!current) return;
    void api.messaging.presence({ userIds: current.memberIds.filter((id) => id !== me).slice(0, 200) }).then((result) => {
      if (result.ok) setPresence((before) => ({ ...before, ...Object.fromEntries(result.value.items.map((p) => [p.userId, p.state])) }));
    });
  }, [api, current, me]);

  useApiEvent('messagingChanged', (payload) => {
    void loadList();
    if (selected && (!payload.conversationId || payload.conversationId === selected)) void loadThread(selected);
  });
  useApiEvent('messagingRead', (payload) => {
    if (payload.conversationId === selected) setReads((before) => before.map((r) => (r.userId === payload.userId ? { ...r, readSeq: Math.max(r.readSeq, payload.readSeq) } : r)));
  });
  useApiEvent('messagingPresence', (payload) => setPresence((before) => ({ ...before, [payload.userId]: payload.state })));
  const send = async () => {
    const text = draft;
    if (!selected || !text.trim()) return;
    const mentions = (current?.memberIds ?? []).filter((id) => id !== me && text.includes(`@${names.get(id) ?? '\u0000'}`));
    // The box is emptied when the message is handed over, not when storing it returns: clearing it
    // then wiped what the person had typed next meanwhile (the next message was lost, seen in the walk).
    setDraft('');
    const result = await api.messaging.post({ conversationId: selected, content: { type: 'text', text, mentions } });
    if (!result.ok) {
      // Not lost: back in the box, unless something new was typed there since.
      setDraft((now) => (now ? now : text));
      return setError(describeError(result.error, t));
    }
    setError(null);
    await loadThread(selected);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  };

  /**
   * Sends a file (or a recorded voice message) in chunks through main, with a progress bar: each
   * chunk is one bridge call, so a large file neither exceeds a message of the bridge nor leaves the
   * person without news. Over 50 MB is refused before anything is sent.
   */
  const sendBlob = async (conversationId: string, blob: Blob, name: string, mimeType: string, voiceDurationMs?: number): Promise<boolean> => {
    if (blob.size > MAX_FILE_BYTES) {
      setError(t('messaging.fileTooLarge'));
      return false;
    }
    const failed = (reason: string): false => {
      setError(t('messaging.uploadFailed', { name, reason }));
      return false;
    };
    const begun = await api.messaging.uploadBegin({ conversationId, name, mimeType, size: blob.size, ...(voiceDurationMs !== undefined ? { voiceDurationMs } : {}) });
    if (!begun.ok) return failed(describeError(begun.error, t));
    const { uploadId, chunkBytes } = begun.value;
    setUpload({ name, sent: 0, size: blob.size });
    try {
      for (let offset = 0; offset < blob.size; offset += chunkBytes) {
        const sent = await api.messaging.uploadChunk({ uploadId, offset, base64: await base64Of(blob.slice(offset, offset + chunkBytes)) });
        if (!sent.ok) {
          void api.messaging.uploadCancel({ uploadId });
          return failed(describeError(sent.error, t));
        }
        setUpload({ name, sent: sent.value.received, size: blob.size });
      }
      const done = await api.messaging.uploadFinish({ uploadId });
      if (!done.ok) return failed(describeError(done.error, t));
    } finally {
      setUpload(null);
    }
    setError(null);
    await loadThread(conversationId);
    return true;
  };

  const sendFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file || !selected) return;
    await sendBlob(selected, file, file.name, file.type || 'application/octet-stream');
  };

  const sendVoice = async () => {
    if (!voice || !selected) return;
    const extension = voice.mimeType.includes('ogg') ? 'ogg' : 'webm';
    if (await sendBlob(selected, voice.blob, `${t('messaging.voice')}-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '')}.${extension}`, voice.mimeType, voice.durationMs)) {
      setVoice(null);
      setRecorderKey((key) => key + 1);
    }
  };

  const toggleMute = async () => {
    if (!current) return;
    const result = await api.messaging.mute({ conversationId: current.id, muted: !current.muted });
    if (!result.ok) return setError(describeError(result.error, t));
    await loadList();
  };

  const badge = conversations.filter((c) => !c.muted).reduce((sum, c) => sum + c.unread, 0);

  if (openDocument) return <DocumentView id={openDocument} onBack={() => setOpenDocument(null)} />;

  return (
    <SectionPage title={t('sections.messages.label')} description={t('sections.messages.description')}>
      <div className="messaging">
        <aside className="messaging__list" aria-label={t('messaging.conversations')}>
          <p className="messaging__badge" aria-live="polite">
            {t('messaging.unreadTotal', { count: badge })}
          </p>
          <button type="button" className="button" onClick={() => setCreating(true)}>
            {t('messaging.newConversation')}
          </button>
          <ul>
            {conversations.map((c) => (
              <li key={c.id}>
                <button
                  type="button"
                  aria-current={c.id === selected ? 'true' : undefined}
                  aria-label={c.unread > 0 ? t('messaging.conversationUnread', { title: c.title, count: c.unread }) : c.title}
                  onClick={() => {
                    setSelected(c.id);
                    setCreating(false);
                  }}
                >
                  <span className="messaging__title">{c.title}</span>
                  {c.unread > 0 && <span className="messaging__unread">{c.unread}</span>}
                  {c.muted && <span className="messaging__muted">{t('messaging.muted')}</span>}
                  <span className="messaging__last">{c.lastMessage ? messagePreview(c.lastMessage.content, t) : ''}</span>
                </button>
              </li>
            ))}
          </ul>
        </aside>
        <section className="messaging__main">
          {creating && session && (
            <NewConversation
              users={users.filter((u) => u.id !== me)}
              units={units}
              onCancel={() => setCreating(false)}
              onCreate={async (ids, title) => {
                const result = ids.length === 1 ? await api.messaging.create({ kind: 'direct', userId: ids[0]! }) : await api.messaging.create({ kind: 'group', title, memberIds: ids });
                if (!result.ok) return setError(describeError(result.error, t));
                setCreating(false);
                await loadList();
                setSelected(result.value.id);
              }}
            />
          )}
          {error && (
            <p role="alert" className="form-error">
              {error}
            </p>
          )}
          {current && !creating && (
            <div className="messaging__thread">
              <header className="messaging__header">
                <h3>{current.title}</h3>
                {current.kind === 'direct' && (
                  <span className="messaging__presence">{t(`messaging.presence.${presence[current.memberIds.find((id) => id !== me) ?? ''] ?? 'offline'}`)}</span>
                )}
                <button type="button" className="button button--ghost" aria-pressed={current.muted} onClick={() => void toggleMute()}>
                  {t('messaging.mute')}
                </button>
              </header>
              <ol className="messaging__messages" aria-label={t('messaging.thread')}>
                {messages.map((m) => (
                  <MessageItem
                    key={m.id}
                    message={m}
                    mine={m.senderId === me}
                    sender={names.get(m.senderId) ?? m.senderId}
                    reads={reads}
                    names={names}
                    editing={editing?.id === m.id ? editing.text : null}
                    onEdit={(text) => setEditing(text === null ? null : { id: m.id, text })}
                    onSaveEdit={async () => {
                      if (!editing) return;
                      const result = await api.messaging.edit({ conversationId: current.id, messageId: m.id, text: editing.text });
                      if (!result.ok) return setError(describeError(result.error, t));
                      setEditing(null);
                      await loadThread(current.id);
                    }}
                    onRecall={async () => {
                      const result = await api.messaging.recall({ conversationId: current.id, messageId: m.id });
                      if (!result.ok) return setError(describeError(result.error, t));
                      await loadThread(current.id);
                    }}
                    onOpenDocument={async (id) => {
                      const result = await api.documents.get({ id });
                      if (result.ok) setOpenDocument(id);
                      else setError(t('messaging.documentForbidden'));
                    }}
                    onDownload={async (sha256) => {
                      const result = await api.messaging.file({ conversationId: current.id, sha256 });
                      if (!result.ok) return setError(describeError(result.error, t));
                      const bytes = Uint8Array.from(atob(result.value.base64), (ch) => ch.charCodeAt(0));
                      const url = URL.createObjectURL(new Blob([bytes], { type: result.value.mimeType }));
                      const link = document.createElement('a');
                      link.href = url;
                      link.download = result.value.name;
                      link.click();
                      setTimeout(() => URL.revokeObjectURL(url), 10_000);
                    }}
                    loadImage={loadFileUrl}
                  />
                ))}
              </ol>
              {upload && (
                <p className="messaging__upload">
                  <label>
                    {t('messaging.uploading', { name: upload.name })}
                    <progress max={upload.size} value={upload.sent} />
                  </label>
                  <span>{Math.floor((upload.sent / upload.size) * 100)}%</span>
                </p>
              )}
              <div className="messaging__compose">
                <textarea id="messaging-input" aria-label={t('messaging.input')} value={draft} onChange={(e) => setDraft(e.target.value)} onKeyDown={onKeyDown} rows={3} />
                <label className="button button--ghost">
                  {t('messaging.attach')}
                  <input type="file" aria-label={t('messaging.attach')} className="visually-hidden" disabled={upload !== null} onChange={(e) => void sendFile(e)} />
                </label>
                <VoiceRecorder
                  key={recorderKey}
                  maxSeconds={VOICE_MAX_SECONDS}
                  onChange={setVoice}
                  disabled={upload !== null}
                  labels={{ record: t('messaging.recordVoice'), recorded: (duration) => t('messaging.voiceRecorded', { duration }) }}
                />
                {voice && (
                  <button type="button" className="button" disabled={upload !== null} onClick={() => void sendVoice()}>
                    {t('messaging.sendVoice')}
                  </button>
                )}
                <DocumentCardPicker onPick={async (documentId, title) => {
                  const result = await api.messaging.post({ conversationId: current.id, content: { type: 'document', documentId, title } });
                  if (!result.ok) return setError(describeError(result.error, t));
                  await loadThread(current.id);
                }} />
                <button type="button" className="button" onClick={() => void send()} disabled={!draft.trim()}>
                  {t('messaging.send')}
                </button>
              </div>
            </div>
          )}
        </section>
      </div>
    </SectionPage>
  );
}

interface MessageItemProps {
  message: ChatMessage;
  mine: boolean;
  sender: string;
  reads: { userId: string; name: string; readSeq: number }[];
  names: Map<string, string>;
  editing: string | null;
  onEdit: (text: string | null) => void;
  onSaveEdit: () => Promise<void>;
  onRecall: () => Promise<void>;
  onOpenDocument: (id: string) => Promise<void>;
  onDownload: (sha256: string) => Promise<void>;
  loadImage: (sha256: string) => Promise<string | null>;
}

function MessageItem({ message: m, mine, sender, reads, editing, onEdit, onSaveEdit, onRecall, onOpenDocument, onDownload, loadImage }: MessageItemProps) {
  const { t } = useTranslation();
  const [image, setImage] = useState<string | null>(null);
  const [voiceUrl, setVoiceUrl] = useState<string | null>(null);
  const imageSha = m.content?.type === 'image' ? m.content.file.sha256 : null;
  const voiceSha = m.content?.type === 'voice' ? m.content.voice.sha256 : null;
  // Images and voice load once stored (a pending message's file is on the server already, but its
  // message is not, and members read files through their messages).
  useEffect(() => {
    const sha = imageSha ?? voiceSha;
    if (!sha || m.seq === null) return;
    let url: string | null = null;
    let live = true;
    void loadImage(sha).then((u) => {
      url = u;
      if (!live) {
        if (u) URL.revokeObjectURL(u);
        return;
      }
      if (imageSha) setImage(u);
      else setVoiceUrl(u);
    });
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [imageSha, voiceSha, m.seq, loadImage]);
  const others = reads.filter((r) => r.userId !== m.senderId);
  const readers = m.seq === null ? [] : others.filter((r) => r.readSeq >= m.seq!);
  const changeable = mine && m.seq !== null && !m.recalled && Date.now() - m.createdAt <= MESSAGE_CHANGE_WINDOW_MS;
  const c = m.content;
  return (
    <li className={mine ? 'messaging__message messaging__message--mine' : 'messaging__message'} aria-label={t('messaging.messageFrom', { name: sender })}>
      <span className="messaging__sender">{sender}</span>
      {m.recalled ? (
        <em>{t('messaging.recalled', { name: sender })}</em>
      ) : editing !== null ? (
        <span>
          <textarea aria-label={t('messaging.editBox')} value={editing} onChange={(e) => onEdit(e.target.value)} />
          <button type="button" onClick={() => void onSaveEdit()}>{t('messaging.saveEdit')}</button>
          <button type="button" onClick={() => onEdit(null)}>{t('messaging.cancel')}</button>
        </span>
      ) : c?.type === 'text' ? (
        <p className="messaging__text">{c.text}{m.editedAt ? ` ${t('messaging.edited')}` : ''}</p>
      ) : c?.type === 'file' ? (
        <button type="button" onClick={() => void onDownload(c.file.sha256)}>{t('messaging.download', { name: c.file.name })}</button>
      ) : c?.type === 'image' ? (
        image ? <img src={image} alt={c.file.name} className="messaging__image" /> : <span>{c.file.name}</span>
      ) : c?.type === 'document' ? (
        <button type="button" className="messaging__card" onClick={() => void onOpenDocument(c.documentId)}>{t('messaging.openDocument', { title: c.title })}</button>
      ) : c?.type === 'voice' ? (
        <span className="messaging__voice">
          <span>{t('messaging.voiceEntry', { duration: formatDuration(c.voice.durationMs) })}</span>
          {voiceUrl && <VoiceAudio src={voiceUrl} label={t('messaging.playVoice', { name: sender, duration: formatDuration(c.voice.durationMs) })} />}
        </span>
      ) : null}
      <span className="messaging__status">
        {m.status === 'pending' ? t('messaging.pending') : m.status === 'rejected' ? t('messaging.rejected', { reason: describeReason(m, t) }) : null}
        {mine && m.seq !== null && others.length === 1 && <span>{readers.length === 1 ? t('messaging.read') : t('messaging.unread')}</span>}
        {/* In a group of up to 50 the sender can see who has read it, not only how many. */}
        {mine && m.seq !== null && others.length > 1 && others.length <= READ_NAMES_MAX_MEMBERS && (
          <details className="messaging__readers">
            <summary>{t('messaging.readCount', { n: readers.length, m: others.length })}</summary>
            {readers.length > 0 ? t('messaging.readBy', { names: joinList(readers.map((r) => r.name), t) }) : t('messaging.readByNone')}
          </details>
        )}
        {mine && m.seq !== null && others.length > READ_NAMES_MAX_MEMBERS && <span>{t('messaging.readCount', { n: readers.length, m: others.length })}</span>}
      </span>
      {changeable && editing === null && (
        <span className="messaging__actions">
          {c?.type === 'text' && (
            <button type="button" onClick={() => onEdit(c.text)}>
              {t('messaging.edit')}
            </button>
          )}
          <button type="button" onClick={() => void onRecall()}>
            {t('messaging.recall')}
          </button>
        </span>
      )}
    </li>
  );
}

function NewConversation({ users, units, onCreate, onCancel }: { users: DirectoryUser[]; units: DirectoryUnit[]; onCreate: (ids: string[], title: string) => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [title, setTitle] = useState('');
  const found = searchPeople(query, users, units);
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  return (
    <div role="group" aria-label={t('messaging.newConversation')} className="messaging__new">
      <input type="search" aria-label={t('messaging.searchPeople')} placeholder={t('messaging.searchHint')} value={query} onChange={(e) => setQuery(e.target.value)} />
      <ul>
        {found.map((u) => (
          <li key={u.id}>
            <label>
              <input type="checkbox" checked={chosen.includes(u.id)} onChange={(e) => setChosen((before) => (e.target.checked ? [...before, u.id] : before.filter((id) => id !== u.id)))} />
              {u.name}
              <span className="messaging__unit"> {unitName.get(u.unitId) ?? ''}</span>
            </label>
          </li>
        ))}
      </ul>
      {chosen.length > 1 && <input aria-label={t('messaging.groupTitle')} value={title} onChange={(e) => setTitle(e.target.value)} />}
      <button type="button" className="button" disabled={chosen.length === 0 || (chosen.length > 1 && !title.trim())} onClick={() => void onCreate(chosen, title)}>
        {t('messaging.confirm')}
      </button>
      <button type="button" className="button button--ghost" onClick={onCancel}>
        {t('messaging.cancel')}
      </button>
    </div>
  );
}

function DocumentCardPicker({ onPick }: { onPick: (documentId: string, title: string) => Promise<void> }) {
  const { t } = useTranslation();
  const api = useApi();
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<{ id: string; title: string }[]>([]);
  const loaded = useRef(false);
  useEffect(() => {
    if (!open || loaded.current) return;
    loaded.current = true;
    void Promise.all((['todo', 'done', 'drafts', 'outgoing', 'incoming'] as const).map((box) => api.offline.box({ box, limit: 50 }))).then((pages) => {
      const seen = new Map<string, string>();
      for (const page of pages) if (page.ok) for (const item of page.value.items) seen.set(item.id, item.title);
      setItems([...seen].map(([id, title]) => ({ id, title })));
    });
  }, [api, open]);
  return (
    <span>
      <button type="button" className="button button--ghost" aria-expanded={open} onClick={() => setOpen(!open)}>
        {t('messaging.shareDocument')}
      </button>
      {open && (
        <ul aria-label={t('messaging.shareDocument')}>
          {items.map((item) => (
            <li key={item.id}>
              <button type="button" onClick={() => void onPick(item.id, item.title).then(() => setOpen(false))}>
                {t('messaging.shareThis', { title: item.title })}
              </button>
            </li>
          ))}
        </ul>
      )}
    </span>
  );
}
