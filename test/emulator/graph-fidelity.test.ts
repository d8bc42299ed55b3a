import test from 'ava';
import { mapGraphError } from '../../src/graph/index.ts';
import { appToken, deliver, simpleMime, startAppClient, startTestEmulator, type TestEmulator } from './helpers/trusted-clients.ts';

// Emulator fidelity, second round (issue 20): one test per point, each following the Microsoft page it cites.
const SUPPORT = 'support@contoso.example';
const ALICE = 'alice@contoso.example';
let emulator: TestEmulator;
let token: string;

test.before(async () => {
  ({ emulator, token } = await startAppClient());
});
test.after.always(async () => {
  await emulator.stop();
});

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function call(method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; on?: TestEmulator; token?: string } = {}): Promise<Answer> {
  const on = options.on ?? emulator;
  const raw = typeof options.body === 'string' || options.body === undefined ? options.body : JSON.stringify(options.body);
  const response = await on.fetch(`${on.url}/v1.0${path}`, {
    method,
    headers: { Authorization: `Bearer ${options.token ?? token}`, ...(raw === undefined ? {} : { 'Content-Type': 'application/json' }), ...options.headers },
    ...(raw === undefined ? {} : { body: raw }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

const errorCode = (answer: Answer): unknown => (answer.body.error as { code?: string } | undefined)?.code;
const values = (answer: Answer): Record<string, unknown>[] => answer.body.value as Record<string, unknown>[];
const path = (folder: string): string => `/users/${SUPPORT}/mailFolders/${folder}`;

async function freshFolder(name: string, on: TestEmulator = emulator): Promise<string> {
  const created = await call('POST', `${path('inbox')}/childFolders`, { body: { displayName: name }, on, ...(on === emulator ? {} : { token: await appToken(on) }) });
  return created.body.id as string;
}

test('1. bodies are HTML unless Prefer: outlook.body-content-type="text" asks for text (https://learn.microsoft.com/en-us/graph/api/message-get)', async (t) => {
  const mail = await deliver(emulator, SUPPORT, 'Inbox', simpleMime('Plain text mail', { body: 'Line one\nLine <two>' }));
  const html = await call('GET', `/users/${SUPPORT}/messages/${mail.id}?$select=body`);
  const body = html.body.body as { contentType: string; content: string };
  t.is(body.contentType, 'html', 'a text/plain mail still comes as HTML by default');
  t.regex(body.content, /Line one<br>/);
  t.regex(body.content, /Line &lt;two&gt;/);
  t.is(html.headers.get('preference-applied'), null);
  const text = await call('GET', `/users/${SUPPORT}/messages/${mail.id}?$select=body`, { headers: { Prefer: 'outlook.body-content-type="text"' } });
  t.deepEqual(text.body.body, { contentType: 'text', content: 'Line one\nLine <two>\n' });
  t.is(text.headers.get('preference-applied'), 'outlook.body-content-type="text"');
});

test('2. $orderby takes nested paths and several keys; with $filter its properties must lead the filter or it is 400 InefficientFilter (https://learn.microsoft.com/en-us/graph/api/user-list-messages)', async (t) => {
  const folder = await freshFolder('orderby');
  for (const [from, subject] of [['Zed <z@fabrikam.example>', 'b'], ['Amy <a@fabrikam.example>', 'c'], ['Amy <a2@fabrikam.example>', 'a'], ['Bob <b@fabrikam.example>', 'x']]) {
    await deliver(emulator, SUPPORT, `Inbox/orderby`, simpleMime(subject as string, { from: from as string }));
  }
  const sorted = await call('GET', `${path(folder)}/messages?$orderby=${encodeURIComponent('from/emailAddress/name desc,subject')}&$select=subject,from`);
  t.deepEqual(values(sorted).map((m) => m.subject), ['b', 'x', 'a', 'c']);
  const inefficient = await call('GET', `${path(folder)}/messages?$filter=${encodeURIComponent("subject eq 'a'")}&$orderby=receivedDateTime desc`);
  t.is(inefficient.status, 400);
  t.is(errorCode(inefficient), 'InefficientFilter');
  const wrongOrder = await call('GET', `${path(folder)}/messages?$filter=${encodeURIComponent("subject ne 'q' and from/emailAddress/name ne 'q'")}&$orderby=${encodeURIComponent('from/emailAddress/name,subject')}`);
  t.is(errorCode(wrongOrder), 'InefficientFilter', 'the same properties in another order');
  const efficient = await call('GET', `${path(folder)}/messages?$filter=${encodeURIComponent("from/emailAddress/name ne 'Zed' and subject ne 'q'")}&$orderby=${encodeURIComponent('from/emailAddress/name,subject')}`);
  t.is(efficient.status, 200);
  t.deepEqual(values(efficient).map((m) => m.subject), ['a', 'c', 'x']);
});

test('3. unquoted DateTimeOffset literals filter lists and message delta, where receivedDateTime ge|gt is the one filter (https://learn.microsoft.com/en-us/graph/api/message-delta)', async (t) => {
  const folder = await freshFolder('dates');
  for (const [subject, at] of [['old', '2026-03-01T10:00:00Z'], ['new', '2026-03-05T10:00:00Z']]) {
    const response = await emulator.fetch(`${emulator.url}/_emulator/mailboxes/${SUPPORT}/messages?folder=Inbox/dates&receivedDateTime=${at}`, { method: 'POST', body: simpleMime(subject as string), headers: { 'Content-Type': 'message/rfc822' } });
    t.is(response.status, 201);
  }
  const filter = encodeURIComponent('receivedDateTime ge 2026-03-04T00:00:00Z');
  const list = await call('GET', `${path(folder)}/messages?$filter=${filter}&$select=subject`);
  t.deepEqual(values(list).map((m) => m.subject), ['new']);
  const delta = await call('GET', `${path(folder)}/messages/delta?$filter=${filter}&$select=subject`);
  t.is(delta.status, 200);
  t.deepEqual(values(delta).map((m) => m.subject), ['new']);
  t.regex(String(delta.body['@odata.deltaLink']), /\$filter=receivedDateTime/);
  const other = await call('GET', `${path(folder)}/messages/delta?$filter=${encodeURIComponent("subject eq 'new'")}`);
  t.is(other.status, 400);
});

test('4. a malformed delta token is 400 ErrorInvalidSyncStateData, an unknown one 410 SyncStateNotFound; the client reads both as "sync again" (https://learn.microsoft.com/en-us/graph/delta-query-overview)', async (t) => {
  const malformed = await call('GET', `${path('inbox')}/messages/delta?$deltatoken=not-a-token!`);
  t.is(malformed.status, 400);
  t.is(errorCode(malformed), 'ErrorInvalidSyncStateData');
  const foreign = Buffer.from(JSON.stringify({ e: 'earlier-life', f: 'x', g: 1, s: 0, t: 0, p: 0 })).toString('base64url');
  const unknown = await call('GET', `${path('inbox')}/messages/delta?$deltatoken=${foreign}`);
  t.is(unknown.status, 410);
  t.is(errorCode(unknown), 'SyncStateNotFound');
  for (const answer of [malformed, unknown]) t.is(mapGraphError(answer.status, answer.body, {}).code, 'GRAPH_SYNC_STATE_GONE');
});

test('5. sendMail honours saveToSentItems written as the string "false", as Microsoft\'s example does (https://learn.microsoft.com/en-us/graph/api/user-sendmail)', async (t) => {
  const subject = `not saved ${Date.now()}`;
  const message = { subject, body: { contentType: 'Text', content: 'x' }, toRecipients: [{ emailAddress: { address: 'ann@fabrikam.example' } }] };
  t.is((await call('POST', `/users/${SUPPORT}/sendMail`, { body: { message, saveToSentItems: 'false' } })).status, 202);
  t.is((await call('POST', `/users/${SUPPORT}/sendMail`, { body: { message: { ...message, subject: `${subject} saved` }, saveToSentItems: 'true' } })).status, 202);
  const sentItems = values(await call('GET', `${path('sentitems')}/messages?$select=subject&$top=100`)).map((m) => m.subject);
  t.false(sentItems.includes(subject));
  t.true(sentItems.includes(`${subject} saved`));
  const bad = await call('POST', `/users/${SUPPORT}/sendMail`, { body: { message, saveToSentItems: 'no' } });
  t.is(bad.status, 400);
});

test('6. query option names are case-insensitive: startdatetime/enddatetime on calendarView delta (https://learn.microsoft.com/en-us/graph/api/event-delta)', async (t) => {
  const lower = await call('GET', `/users/${ALICE}/calendarView/delta?startdatetime=2026-03-09T00:00:00Z&enddatetime=2026-03-16T00:00:00Z`);
  t.is(lower.status, 200, JSON.stringify(lower.body));
  const mixed = await call('GET', `/users/${ALICE}/calendarView/delta?StartDateTime=2026-03-09T00:00:00Z&EndDateTime=2026-03-16T00:00:00Z`);
  const subjects = (a: Answer): unknown[] => values(a).map((e) => e.subject).sort();
  t.true(values(lower).length > 0);
  t.deepEqual(subjects(lower), subjects(mixed));
  const topUpper = await call('GET', `${path('inbox')}/messages?$TOP=1&$SELECT=subject`);
  t.is(values(topUpper).length, 1);
  t.deepEqual(Object.keys(values(topUpper)[0] ?? {}).sort(), ['@odata.etag', 'id', 'subject']);
});

test('7. $select with $expand=singleValueExtendedProperties returns both; a message answers for Long 0x0E08, its size (https://learn.microsoft.com/en-us/graph/api/singlevaluelegacyextendedproperty-get)', async (t) => {
  const mail = await deliver(emulator, SUPPORT, 'Inbox', simpleMime('Sized'));
  const raw = await (await emulator.fetch(`${emulator.url}/v1.0/users/${SUPPORT}/messages/${mail.id}/$value`, { headers: { Authorization: `Bearer ${token}` } })).text();
  const expand = encodeURIComponent("singleValueExtendedProperties($filter=id eq 'Long 0x0E08')");
  const got = await call('GET', `/users/${SUPPORT}/messages/${mail.id}?$select=subject&$expand=${expand}`);
  t.is(got.body.subject, 'Sized');
  t.false('from' in got.body, '$select still limits the other properties');
  t.deepEqual(got.body.singleValueExtendedProperties, [{ id: 'Long 0xe08', value: String(Buffer.byteLength(raw)) }]);
  const integer = await call('GET', `/users/${SUPPORT}/messages/${mail.id}?$select=subject&$expand=${encodeURIComponent("singleValueExtendedProperties($filter=id eq 'Integer 0x0E08')")}`);
  t.deepEqual(integer.body.singleValueExtendedProperties, [{ id: 'Integer 0xe08', value: String(Buffer.byteLength(raw)) }], 'PidTagMessageSize, the 32-bit type of the tag');
  const plain = await call('GET', `/users/${SUPPORT}/messages/${mail.id}?$select=subject`);
  t.false('singleValueExtendedProperties' in plain.body, 'never without $expand');
  const property = 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name MailroomKey';
  const draft = await call('POST', `/users/${SUPPORT}/messages`, { body: { subject: 'keyed', singleValueExtendedProperties: [{ id: property, value: 'k-1' }] } });
  const listed = await call('GET', `${path('drafts')}/messages?$select=subject&$filter=${encodeURIComponent(`singleValueExtendedProperties/any(ep: ep/id eq '${property}' and ep/value eq 'k-1')`)}&$expand=${encodeURIComponent(`singleValueExtendedProperties($filter=id eq '${property}')`)}`);
  t.deepEqual(values(listed).map((m) => [m.id, m.subject, m.singleValueExtendedProperties]), [[draft.body.id, 'keyed', [{ id: property, value: 'k-1' }]]]);
  // Events too: $select no longer drops the expanded properties.
  const created = await call('POST', `/users/${ALICE}/events`, { body: { subject: 'Tagged', start: { dateTime: '2026-06-01T10:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-06-01T11:00:00', timeZone: 'UTC' }, singleValueExtendedProperties: [{ id: property, value: 'e-1' }] } });
  const event = await call('GET', `/users/${ALICE}/events/${String(created.body.id)}?$select=subject&$expand=${encodeURIComponent(`singleValueExtendedProperties($filter=id eq '${property}')`)}`);
  t.is(event.body.subject, 'Tagged');
  t.deepEqual(event.body.singleValueExtendedProperties, [{ id: property, value: 'e-1' }]);
});

test('8. after a draft is sent, its immutable id finds the copy in Sent Items (https://learn.microsoft.com/en-us/graph/outlook-immutable-id)', async (t) => {
  const immutable = { Prefer: 'IdType="ImmutableId"' };
  const draft = await call('POST', `/users/${SUPPORT}/messages`, { headers: immutable, body: { subject: 'Immutable send', toRecipients: [{ emailAddress: { address: 'ann@fabrikam.example' } }] } });
  t.is(draft.status, 201);
  t.is(draft.headers.get('preference-applied'), 'IdType="ImmutableId"');
  const id = draft.body.id as string;
  t.is((await call('POST', `/users/${SUPPORT}/messages/${id}/send`, { headers: immutable })).status, 202);
  const copy = await call('GET', `/users/${SUPPORT}/messages/${id}?$select=subject,isDraft,parentFolderId,internetMessageId`, { headers: immutable });
  t.is(copy.status, 200);
  const sentItems = await call('GET', path('sentitems'));
  t.like(copy.body, { id, subject: 'Immutable send', isDraft: false, parentFolderId: sentItems.body.id, internetMessageId: draft.body.internetMessageId });
  const again = await call('POST', `/users/${SUPPORT}/messages/${id}/send`, { headers: immutable });
  t.is(again.status, 400, 'a sent draft cannot be sent again');
  t.is(errorCode(again), 'ErrorInvalidOperation');
});

test('9. every message has a base64 conversationIndex and its own internetMessageId, assigned when the mail has none (https://learn.microsoft.com/en-us/graph/api/resources/message)', async (t) => {
  const noId = (subject: string): string => `From: a@fabrikam.example\r\nTo: ${SUPPORT}\r\nSubject: ${subject}\r\n\r\nSame body for both\r\n`;
  const first = await deliver(emulator, SUPPORT, 'Inbox', noId('Same start'));
  const second = await deliver(emulator, SUPPORT, 'Inbox', noId('Same start'));
  t.not(first.internetMessageId, second.internetMessageId, 'distinct mails never share a derived id');
  for (const id of [first.internetMessageId, second.internetMessageId]) t.regex(id, /^<[^<>@\s]+@[^<>\s]+>$/);
  const withIndex = await deliver(emulator, SUPPORT, 'Inbox', simpleMime('Outlook thread', { extraHeaders: 'Thread-Index: AQHZ1234567890abcdefghijklmnop==' }));
  const read = async (id: string): Promise<string> => (await call('GET', `/users/${SUPPORT}/messages/${id}?$select=conversationIndex`)).body.conversationIndex as string;
  const index = await read(first.id);
  t.is(Buffer.from(index, 'base64').length, 22, 'a thread-starting index is 22 bytes');
  t.not(await read(second.id), index);
  t.is(await read(withIndex.id), 'AQHZ1234567890abcdefghijklmnop==', "the sender's Thread-Index is kept");
});

test('10. folders: sizeInBytes, $count, well-known names in $filter, drafts in a folder, $expand=childFolders, $top paging, @odata.context; occurrenceId and groupClassId (https://learn.microsoft.com/en-us/graph/api/resources/mailfolder)', async (t) => {
  const folder = await freshFolder('sized');
  const empty = await call('GET', path(folder));
  t.is(empty.body.sizeInBytes, 0);
  t.regex(String(empty.body['@odata.context']), /mailFolders\/\$entity$/);
  const mail = await deliver(emulator, SUPPORT, 'Inbox/sized', simpleMime('Weighs something'));
  t.true(((await call('GET', path(folder))).body.sizeInBytes as number) > 100);
  // https://learn.microsoft.com/en-us/graph/api/mailfolder-post-messages: 201, a draft in that folder.
  const draft = await call('POST', `${path(folder)}/messages`, { body: { subject: 'Draft here' } });
  t.is(draft.status, 201);
  t.like(draft.body, { isDraft: true, parentFolderId: folder });
  // https://learn.microsoft.com/en-us/graph/query-parameters: $count=true adds @odata.count; $top pages with a nextLink.
  const counted = await call('GET', `${path(folder)}/messages?$count=true&$top=1&$select=subject`);
  t.is(counted.body['@odata.count'], 2);
  t.is(values(counted).length, 1);
  t.regex(String(counted.body['@odata.nextLink']), /\$skip=1/);
  const children = await call('GET', `${path('inbox')}/childFolders?$count=true&$filter=${encodeURIComponent("parentFolderId eq 'inbox'")}&$top=100`);
  t.true(values(children).some((f) => f.id === folder), 'a well-known name inside $filter stands for its id');
  t.is(children.body['@odata.count'], values(children).length);
  const inboxMail = await call('GET', `/users/${SUPPORT}/messages?$filter=${encodeURIComponent(`parentFolderId eq '${folder}'`)}&$select=subject`);
  t.is(values(inboxMail).length, 2);
  const expanded = await call('GET', `/users/${SUPPORT}/mailFolders?$expand=childFolders&$top=100`);
  const inbox = values(expanded).find((f) => f.displayName === 'Inbox');
  t.true((inbox?.childFolders as { id: string }[]).some((c) => c.id === folder));
  const attachmentMail = await deliver(emulator, SUPPORT, 'Inbox', 'From: a@fabrikam.example\r\nSubject: with file\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee file\r\n--b\r\nContent-Type: text/plain; name="f.txt"\r\nContent-Disposition: attachment; filename="f.txt"\r\n\r\nfile body\r\n--b--\r\n');
  const attachments = values(await call('GET', `/users/${SUPPORT}/messages/${attachmentMail.id}/attachments`));
  const single = await call('GET', `/users/${SUPPORT}/messages/${attachmentMail.id}/attachments/${String(attachments[0]?.id)}`);
  t.regex(String(single.body['@odata.context']), /attachments\/\$entity$/);
  t.regex(String((await call('GET', `/users/${SUPPORT}/messages/${mail.id}`)).body['@odata.context']), /messages\/\$entity$/);
  const view = values(await call('GET', `/users/${ALICE}/calendarView?startDateTime=2026-03-09T00:00:00Z&endDateTime=2026-03-16T00:00:00Z&$top=50`));
  const occurrence = view.find((e) => e.type === 'occurrence');
  t.regex(String(occurrence?.occurrenceId), new RegExp(`^OID\\.${String(occurrence?.seriesMasterId).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.2026-03-\\d\\d$`));
  const calendars = values(await call('GET', `/users/${ALICE}/calendars`));
  t.true(calendars.length > 0 && calendars.every((c) => /^[0-9a-f-]{36}$/.test(String(c.groupClassId))));
});

test('11. the Sent Items copy may appear late (option and control API); meanwhile the id answers 404 and a second send mails nothing (https://learn.microsoft.com/en-us/graph/outlook-immutable-id)', async (t) => {
  const late = await startTestEmulator({ sentItemsDelayMs: 60 * 60_000 });
  t.teardown(() => late.stop());
  const lateToken = await appToken(late);
  const on = { on: late, token: lateToken };
  const immutable = { Prefer: 'IdType="ImmutableId"' };
  const mime = 'From: support@contoso.example\r\nTo: ann@fabrikam.example\r\nSubject: Late copy\r\nMessage-ID: <late-1@contoso.example>\r\nAuto-Submitted: auto-generated\r\n\r\nbody\r\n';
  const draft = await call('POST', `${path('drafts')}/messages`, { ...on, headers: { ...immutable, 'Content-Type': 'text/plain' }, body: Buffer.from(mime).toString('base64') });
  t.is(draft.status, 201);
  t.is(draft.body.internetMessageId, '<late-1@contoso.example>', 'a MIME draft keeps our Message-ID');
  const id = draft.body.id as string;
  t.is((await call('POST', `/users/${SUPPORT}/messages/${id}/send`, { ...on, headers: immutable })).status, 202);
  const meanwhile = await call('GET', `/users/${SUPPORT}/messages/${id}`, { ...on, headers: immutable });
  t.is(meanwhile.status, 404, 'no copy yet');
  t.deepEqual(values(await call('GET', `${path('sentitems')}/messages?$filter=${encodeURIComponent("internetMessageId eq '<late-1@contoso.example>'")}`, on)), []);
  t.is((await call('POST', `/users/${SUPPORT}/messages/${id}/send`, { ...on, headers: immutable })).status, 404, 'sending it again finds no draft');
  const sentLog = async (): Promise<{ internetMessageId: string; headers: { name: string; value: string }[] }[]> =>
    ((await (await late.fetch(`${late.url}/_emulator/mailboxes/${SUPPORT}/sent`)).json()) as { value: { internetMessageId: string; headers: { name: string; value: string }[] }[] }).value;
  t.deepEqual((await sentLog()).map((m) => m.internetMessageId), ['<late-1@contoso.example>'], 'mailed once');
  t.true((await sentLog())[0]?.headers.some((h) => h.name === 'Auto-Submitted'), 'the MIME went out as written');
  const flushed = (await (await late.fetch(`${late.url}/_emulator/mailboxes/${SUPPORT}/sent-items/flush`, { method: 'POST' })).json()) as { stored: number };
  t.is(flushed.stored, 1);
  t.like((await call('GET', `/users/${SUPPORT}/messages/${id}?$select=isDraft`, { ...on, headers: immutable })).body, { id, isDraft: false });
  // The control API switches the delay off (and on) at run time.
  const setting = await late.fetch(`${late.url}/_emulator/mail/settings`, { method: 'PUT', body: JSON.stringify({ sentItemsDelayMs: 0 }), headers: { 'Content-Type': 'application/json' } });
  t.deepEqual(await setting.json(), { sentItemsDelayMs: 0 });
  const quick = await call('POST', `/users/${SUPPORT}/messages`, { ...on, headers: immutable, body: { subject: 'Quick copy', toRecipients: [{ emailAddress: { address: 'ann@fabrikam.example' } }] } });
  await call('POST', `/users/${SUPPORT}/messages/${String(quick.body.id)}/send`, { ...on, headers: immutable });
  t.is((await call('GET', `/users/${SUPPORT}/messages/${String(quick.body.id)}`, { ...on, headers: immutable })).status, 200);
});
