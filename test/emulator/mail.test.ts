import test from 'ava';
import { readFile } from 'node:fs/promises';
import { ResponseType, type Client } from '@microsoft/microsoft-graph-client';
import { appToken, createGraphClient, deliver, simpleMime, type TestEmulator, startAppClient } from './helpers/trusted-clients.ts';

// Mail over Graph v1.0 with the real graph-client (graph-behaviour.md §3–§4, checklist 8, 9, 10).
const SUPPORT = 'support@contoso.example';
let emulator: TestEmulator;
let client: Client;

test.before(async () => {
  ({ emulator, client } = await startAppClient());
});
test.after.always(async () => {
  await emulator.stop();
});

interface GraphFailure {
  statusCode: number;
  code: string;
}

async function graphFailure(t: { throwsAsync: (p: Promise<unknown>) => Promise<unknown> }, promise: Promise<unknown>): Promise<GraphFailure> {
  return (await t.throwsAsync(promise)) as unknown as GraphFailure;
}

/** A fresh folder under Inbox, so that concurrent tests do not see each other's mail. */
async function freshFolder(name: string): Promise<string> {
  const folder = (await client.api(`/users/${SUPPORT}/mailFolders/inbox/childFolders`).post({ displayName: name })) as { id: string };
  return folder.id;
}

test('users by UPN, by id and by $filter=mail eq; unknown users and mailbox-less users get the Outlook error codes', async (t) => {
  const byUpn = (await client.api(`/users/${SUPPORT}`).get()) as { id: string; mail: string };
  const byId = (await client.api(`/users/${byUpn.id}`).select('userPrincipalName').get()) as { userPrincipalName: string; mail?: string };
  t.is(byId.userPrincipalName, SUPPORT);
  t.false('mail' in byId);
  const filtered = (await client.api('/users').filter("mail eq 'purchasing@contoso.example'").select('id,mail').get()) as { value: { mail: string }[] };
  t.deepEqual(filtered.value.map((u) => u.mail), ['purchasing@contoso.example']);
  const none = (await client.api('/users').filter("mail eq 'nobody@contoso.example'").get()) as { value: unknown[] };
  t.deepEqual(none.value, []);
  t.like(await graphFailure(t, client.api('/users/nobody@contoso.example').get()), { statusCode: 404, code: 'Request_ResourceNotFound' });
  t.like(await graphFailure(t, client.api('/users/nobody@contoso.example/messages').get()), { statusCode: 404, code: 'ErrorInvalidUser' });
  t.like(await graphFailure(t, client.api('/users/former.employee@contoso.example/messages').get()), { statusCode: 404, code: 'MailboxNotEnabledForRESTAPI' });
  t.like(await graphFailure(t, client.api('/users').filter("mail ne 'x@contoso.example'").get()), { statusCode: 400, code: 'Request_UnsupportedQuery' });
});

test('well-known folder names resolve case-insensitively to real ids; child folders by displayName; localized display names', async (t) => {
  const inbox = (await client.api(`/users/${SUPPORT}/mailFolders/Inbox`).get()) as { id: string; displayName: string };
  t.not(inbox.id.toLowerCase(), 'inbox');
  t.is(((await client.api(`/users/${SUPPORT}/mailFolders/inbox`).get()) as { id: string }).id, inbox.id);
  const children = (await client.api(`/users/${SUPPORT}/mailFolders/${inbox.id}/childFolders`).filter("displayName eq 'support'").get()) as { value: { displayName: string; parentFolderId: string; totalItemCount: number }[] };
  t.is(children.value.length, 1);
  t.is(children.value[0]?.parentFolderId, inbox.id);
  t.true((children.value[0]?.totalItemCount ?? 0) >= 20);
  const german = (await client.api('/users/purchasing@contoso.example/mailFolders/inbox').get()) as { displayName: string };
  t.is(german.displayName, 'Posteingang');
  t.like(await graphFailure(t, client.api(`/users/${SUPPORT}/mailFolders/Support`).get()), { statusCode: 400, code: 'ErrorInvalidIdMalformed' });
});

test('checklist 8: internetMessageHeaders only when selected; $value is the MIME as text/plain, not JSON', async (t) => {
  const folder = await freshFolder('headers-test');
  const mime = simpleMime('Header check', { extraHeaders: 'X-Ticket-Hint: 4711' });
  const delivered = await deliver(emulator, SUPPORT, 'Inbox/headers-test', mime);
  const full = (await client.api(`/users/${SUPPORT}/messages/${delivered.id}`).get()) as Record<string, unknown>;
  t.false('internetMessageHeaders' in full);
  t.is(full.subject, 'Header check');
  t.is(full.parentFolderId, folder);
  t.is(full.internetMessageId, delivered.internetMessageId);
  const selected = (await client.api(`/users/${SUPPORT}/messages/${delivered.id}`).select('internetMessageHeaders,subject').get()) as { internetMessageHeaders: { name: string; value: string }[]; body?: unknown };
  t.true(selected.internetMessageHeaders.some((h) => h.name === 'X-Ticket-Hint' && h.value === '4711'));
  t.false('body' in selected);
  const asHtml = (await client.api(`/users/${SUPPORT}/messages/${delivered.id}`).select('body').header('Prefer', 'outlook.body-content-type="html"').get()) as { body: { contentType: string; content: string } };
  t.is(asHtml.body.contentType, 'html');
  t.true(asHtml.body.content.includes('Body of Header check'));
  const raw = (await client.api(`/users/${SUPPORT}/messages/${delivered.id}/$value`).responseType(ResponseType.TEXT).get()) as string;
  t.is(typeof raw, 'string');
  t.true(raw.includes('Subject: Header check'));
  const response = await emulator.fetch(`${emulator.url}/v1.0/users/${SUPPORT}/messages/${delivered.id}/$value`, { headers: { Authorization: `Bearer ${await appToken(emulator)}` } });
  t.regex(response.headers.get('content-type') ?? '', /^text\/plain/);
});

test('attachments: an inline image does not make hasAttachments true; file attachments have contentBytes and $value bytes', async (t) => {
  await freshFolder('attachments-test');
  const eml = await readFile(new URL('../../fixtures/mail/demo/support/04-html-outlook-inline-image-attachment.eml', import.meta.url), 'utf8');
  const withBoth = await deliver(emulator, SUPPORT, 'Inbox/attachments-test', eml);
  const message = (await client.api(`/users/${SUPPORT}/messages/${withBoth.id}`).select('hasAttachments,body').get()) as { hasAttachments: boolean; body: { contentType: string; content: string } };
  t.true(message.hasAttachments);
  t.is(message.body.contentType, 'html');
  t.true(message.body.content.includes('cid:image001.png@01DA5723.8F1E2B40'));
  const attachments = (await client.api(`/users/${SUPPORT}/messages/${withBoth.id}/attachments`).get()) as { value: { id: string; name: string; isInline: boolean; contentId: string | null; contentBytes: string; '@odata.type': string }[] };
  const inline = attachments.value.find((a) => a.isInline);
  const file = attachments.value.find((a) => !a.isInline);
  t.is(inline?.contentId, 'image001.png@01DA5723.8F1E2B40');
  t.is(file?.['@odata.type'], '#microsoft.graph.fileAttachment');
  t.true(Buffer.from(file?.contentBytes ?? '', 'base64').toString().includes('0x80070005'));
  const bytes = (await client.api(`/users/${SUPPORT}/messages/${withBoth.id}/attachments/${file?.id ?? ''}/$value`).responseType(ResponseType.ARRAYBUFFER).get()) as ArrayBuffer;
  t.true(Buffer.from(bytes).toString().includes('Access is denied'));
  const inlineOnly = eml.replace(/--_004_DB9PR03MB8123E5F2C1A0B9D8_\r?\nContent-Type: text\/plain; name="ContosoSetup.log"[\s\S]*?(?=--_004_DB9PR03MB8123E5F2C1A0B9D8_--)/, '');
  const onlyInline = await deliver(emulator, SUPPORT, 'Inbox/attachments-test', inlineOnly);
  t.false(((await client.api(`/users/${SUPPORT}/messages/${onlyInline.id}`).select('hasAttachments').get()) as { hasAttachments: boolean }).hasAttachments);
});

test('PATCH isRead, flag and categories returns 200 with the message and a new changeKey; subject of a received message is not writable', async (t) => {
  await freshFolder('patch-test');
  const delivered = await deliver(emulator, SUPPORT, 'Inbox/patch-test', simpleMime('Patch me'));
  const before = (await client.api(`/users/${SUPPORT}/messages/${delivered.id}`).get()) as { changeKey: string; isRead: boolean };
  t.false(before.isRead);
  const after = (await client.api(`/users/${SUPPORT}/messages/${delivered.id}`).patch({ isRead: true, flag: { flagStatus: 'flagged' }, categories: ['Ticket created'] })) as { changeKey: string; isRead: boolean; flag: { flagStatus: string }; categories: string[] };
  t.true(after.isRead);
  t.is(after.flag.flagStatus, 'flagged');
  t.deepEqual(after.categories, ['Ticket created']);
  t.not(after.changeKey, before.changeKey);
  const listed = (await (await emulator.fetch(`${emulator.url}/_emulator/mailboxes/${SUPPORT}/messages?folder=Inbox/patch-test`)).json()) as { value: { isRead: boolean; categories: string[] }[] };
  t.like(listed.value[0], { isRead: true, categories: ['Ticket created'] });
  t.like(await graphFailure(t, client.api(`/users/${SUPPORT}/messages/${delivered.id}`).patch({ subject: 'changed' })), { statusCode: 400 });
});

test('checklist 9: move answers 201 with a new id and the old id is gone; with Prefer IdType="ImmutableId" the id survives; a display name is not a destination', async (t) => {
  const target = await freshFolder('move-target');
  await freshFolder('move-source');
  const first = await deliver(emulator, SUPPORT, 'Inbox/move-source', simpleMime('Move me'));
  const moved = (await client.api(`/users/${SUPPORT}/messages/${first.id}/move`).responseType(ResponseType.RAW).post({ destinationId: target })) as Response;
  t.is(moved.status, 201);
  const movedBody = (await moved.json()) as { id: string; parentFolderId: string };
  t.not(movedBody.id, first.id);
  t.is(movedBody.parentFolderId, target);
  t.like(await graphFailure(t, client.api(`/users/${SUPPORT}/messages/${first.id}`).get()), { statusCode: 404, code: 'ErrorItemNotFound' });
  const second = await deliver(emulator, SUPPORT, 'Inbox/move-source', simpleMime('Move me immutably'));
  const immutable = (await client.api(`/users/${SUPPORT}/messages/${second.immutableId}`).header('Prefer', 'IdType="ImmutableId"').get()) as { id: string };
  t.is(immutable.id, second.immutableId);
  const movedImmutable = (await client.api(`/users/${SUPPORT}/messages/${second.immutableId}/move`).header('Prefer', 'IdType="ImmutableId"').post({ destinationId: target })) as { id: string };
  t.is(movedImmutable.id, second.immutableId);
  t.like(await graphFailure(t, client.api(`/users/${SUPPORT}/messages/${movedImmutable.id}/move`).post({ destinationId: 'Processed' })), { statusCode: 400, code: 'ErrorInvalidIdMalformed' });
  const toWellKnown = (await client.api(`/users/${SUPPORT}/messages/${movedImmutable.id}/move`).header('Prefer', 'IdType="ImmutableId"').post({ destinationId: 'deleteditems' })) as { parentFolderId: string };
  t.is(toWellKnown.parentFolderId, ((await client.api(`/users/${SUPPORT}/mailFolders/deleteditems`).get()) as { id: string }).id);
});

test('checklist 10: sendMail answers 202 with no body, lands in Sent Items with an internetMessageId, and is in the sent log with its x- headers', async (t) => {
  const response = (await client.api(`/users/${SUPPORT}/sendMail`).responseType(ResponseType.RAW).post({
    message: {
      subject: 'Your ticket 2001',
      body: { contentType: 'Text', content: 'We are on it.' },
      toRecipients: [{ emailAddress: { address: 'customer@fabrikam.example', name: 'Customer' } }],
      internetMessageHeaders: [{ name: 'x-mailroom-ticket', value: '2001' }],
    },
  })) as Response;
  t.is(response.status, 202);
  t.is(await response.text(), '');
  const sent = (await client.api(`/users/${SUPPORT}/mailFolders/sentitems/messages`).filter("subject eq 'Your ticket 2001'").select('internetMessageId,internetMessageHeaders,toRecipients').get()) as { value: { internetMessageId: string; internetMessageHeaders: { name: string; value: string }[] }[] };
  t.is(sent.value.length, 1);
  t.regex(sent.value[0]?.internetMessageId ?? '', /^<.+@.+>$/);
  t.true(sent.value[0]?.internetMessageHeaders.some((h) => h.name === 'x-mailroom-ticket' && h.value === '2001'));
  const log = (await (await emulator.fetch(`${emulator.url}/_emulator/mailboxes/${SUPPORT}/sent`)).json()) as { value: { subject: string; to: { emailAddress: { address: string } }[]; headers: { name: string }[]; body: { content: string } }[] };
  const entry = log.value.find((m) => m.subject === 'Your ticket 2001');
  t.is(entry?.to[0]?.emailAddress.address, 'customer@fabrikam.example');
  t.is(entry?.body.content, 'We are on it.');
});

test('checklist 10: a custom header without x- or more than five custom headers are rejected with the real codes', async (t) => {
  const message = (headers: { name: string; value: string }[]) => ({ message: { subject: 's', body: { contentType: 'Text', content: 'b' }, toRecipients: [{ emailAddress: { address: 'a@fabrikam.example' } }], internetMessageHeaders: headers } });
  t.like(await graphFailure(t, client.api(`/users/${SUPPORT}/sendMail`).post(message([{ name: 'Ticket', value: '1' }]))), { statusCode: 400, code: 'InvalidInternetMessageHeader' });
  const six = Array.from({ length: 6 }, (_, i) => ({ name: `x-h${i}`, value: String(i) }));
  t.like(await graphFailure(t, client.api(`/users/${SUPPORT}/sendMail`).post(message(six))), { statusCode: 400, code: 'InvalidInternetMessageHeaderCollection' });
  t.like(await graphFailure(t, client.api(`/users/${SUPPORT}/sendMail`).post({ message: { subject: 'nobody', body: { contentType: 'Text', content: 'b' } } })), { statusCode: 400, code: 'ErrorInvalidRecipients' });
});

test('reply answers 202 and threads the answer; createReply makes a draft (201) that send delivers; mail to a tenant mailbox arrives there', async (t) => {
  await freshFolder('reply-test');
  const original = await deliver(emulator, SUPPORT, 'Inbox/reply-test', simpleMime('Need help', { from: 'Priya <priya@fabrikam.example>', messageId: '<need-help-1@fabrikam.example>' }));
  const reply = (await client.api(`/users/${SUPPORT}/messages/${original.id}/reply`).responseType(ResponseType.RAW).post({ comment: 'Hello Priya, on it.' })) as Response;
  t.is(reply.status, 202);
  const log = (await (await emulator.fetch(`${emulator.url}/_emulator/mailboxes/${SUPPORT}/sent`)).json()) as { value: { subject: string; to: { emailAddress: { address: string } }[]; headers: { name: string; value: string }[] }[] };
  const sentReply = log.value.find((m) => m.subject === 'RE: Need help');
  t.is(sentReply?.to[0]?.emailAddress.address, 'priya@fabrikam.example');
  t.true(sentReply?.headers.some((h) => h.name === 'In-Reply-To' && h.value === '<need-help-1@fabrikam.example>'));
  const draft = (await client.api(`/users/${SUPPORT}/messages/${original.id}/createReply`).post({})) as { id: string; isDraft: boolean; subject: string; parentFolderId: string };
  t.true(draft.isDraft);
  t.is(draft.parentFolderId, ((await client.api(`/users/${SUPPORT}/mailFolders/drafts`).get()) as { id: string }).id);
  await client.api(`/users/${SUPPORT}/messages/${draft.id}`).patch({ toRecipients: [{ emailAddress: { address: 'alice@contoso.example' } }] });
  const sendResponse = (await client.api(`/users/${SUPPORT}/messages/${draft.id}/send`).responseType(ResponseType.RAW).post({})) as Response;
  t.is(sendResponse.status, 202);
  const alice = (await client.api('/users/alice@contoso.example/mailFolders/inbox/messages').filter("subject eq 'RE: Need help'").get()) as { value: unknown[] };
  t.is(alice.value.length, 1);
});

test('an application access policy limits app-only access to the listed mailboxes', async (t) => {
  const token = await appToken(emulator, { clientId: '2c3d4e5f-6a7b-4c8d-8e9f-1a2b3c4d5e6f', clientSecret: 'Cd4Q~supportOnlyAppSecret.NotForProduction-04' });
  const restricted = createGraphClient(emulator, async () => token);
  t.is(((await restricted.api(`/users/${SUPPORT}/mailFolders/inbox`).get()) as { displayName: string }).displayName, 'Inbox');
  t.like(await graphFailure(t, restricted.api('/users/purchasing@contoso.example/mailFolders/inbox').get()), { statusCode: 403, code: 'ErrorAccessDenied' });
});

test('list paging: $top with an absolute https nextLink that carries $select; Prefer outlook.body-content-type is applied', async (t) => {
  const page = (await client.api(`/users/${SUPPORT}/mailFolders/inbox/messages`).top(2).select('subject').get()) as { value: unknown[]; '@odata.nextLink': string };
  t.is(page.value.length, 2);
  t.regex(page['@odata.nextLink'], /^https:\/\/localhost:\d+\/v1\.0\/users\/.+\$select=subject/);
  const next = (await client.api(page['@odata.nextLink']).get()) as { value: { subject: string }[] };
  t.true(next.value.length > 0);
  const raw = (await client.api(`/users/${SUPPORT}/mailFolders/inbox/messages`).top(1).select('body').header('Prefer', 'outlook.body-content-type="text"').responseType(ResponseType.RAW).get()) as Response;
  t.is(raw.headers.get('preference-applied'), 'outlook.body-content-type="text"');
  t.is(((await raw.json()) as { value: { body: { contentType: string } }[] }).value[0]?.body.contentType, 'text');
});
