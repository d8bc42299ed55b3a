import type { AttachmentRef, StoredObject, Ticket, TicketComment } from '../../tickets/index.ts';

export const ticketStatuses = ['new', 'open', 'pending', 'resolved', 'closed'] as const;
export const ticketPriorities = ['low', 'normal', 'high'] as const;

const nullableString = { type: ['string', 'null'] } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;

const personSchema = { type: ['object', 'null'], additionalProperties: false, required: ['address', 'name'], properties: { address: { type: 'string' }, name: { type: 'string' } } } as const;

export const attachmentSchema = {
  $id: 'Attachment',
  type: 'object',
  additionalProperties: false,
  required: ['fileId', 'filename', 'contentType', 'size', 'inline'],
  properties: {
    fileId: { ...nullableString, description: 'Download with …/attachments/{fileId}; null when the file was not stored.' },
    filename: { type: 'string' },
    contentType: { type: 'string' },
    size: { type: 'integer' },
    inline: { type: 'boolean' },
    skipped: { type: 'string', description: 'Why the file was not stored (over the size cap).' },
  },
} as const;

const sourceSchema = {
  type: ['object', 'null'],
  additionalProperties: false,
  required: ['job', 'mailbox', 'internetMessageId', 'hasMime', 'backlog'],
  properties: {
    job: { type: 'string' }, mailbox: { type: 'string' }, internetMessageId: nullableString, hasMime: { type: 'boolean', description: 'The raw MIME can be downloaded.' },
    backlog: { type: 'boolean', description: 'The mail was in the folder when the job first connected (backlog import): it was never acknowledged.' },
  },
} as const;

export const ticketSchema = {
  $id: 'Ticket',
  type: 'object',
  additionalProperties: false,
  required: ['number', 'subject', 'description', 'status', 'priority', 'assignee', 'group', 'dueAt', 'fields', 'requester', 'source', 'attachments', 'commentCount', 'createdAt', 'updatedAt'],
  properties: {
    number: { type: 'integer' },
    subject: { type: 'string' },
    description: { type: 'string' },
    status: { enum: ticketStatuses },
    priority: { enum: ticketPriorities },
    assignee: nullableString,
    group: nullableString,
    dueAt: { type: ['string', 'null'], format: 'date-time' },
    fields: { type: 'object', additionalProperties: true, description: 'Custom fields rules or people set.' },
    requester: personSchema,
    source: sourceSchema,
    attachments: { type: 'array', items: { $ref: 'Attachment#' } },
    commentCount: { type: 'integer' },
    createdAt: dateTime,
    updatedAt: dateTime,
  },
} as const;

export const commentSchema = {
  $id: 'Comment',
  type: 'object',
  additionalProperties: false,
  required: ['key', 'ticketNumber', 'author', 'body', 'source', 'attachments', 'internal', 'createdAt'],
  properties: {
    key: { type: 'string', description: 'Stable id of the comment.' },
    ticketNumber: { type: 'integer' },
    author: personSchema,
    body: { type: 'string' },
    source: sourceSchema,
    attachments: { type: 'array', items: { $ref: 'Attachment#' } },
    internal: { type: 'boolean', description: 'An internal note for agents (a bounced notification): never show or mail it to the requester.' },
    createdAt: dateTime,
  },
} as const;

export const objectSchema = {
  $id: 'StoredObject',
  type: 'object',
  additionalProperties: false,
  required: ['key', 'type', 'title', 'fields', 'source', 'attachments', 'createdAt'],
  properties: {
    key: { type: 'string' },
    type: { type: 'string' },
    title: { type: 'string' },
    fields: { type: 'object', additionalProperties: true },
    source: sourceSchema,
    attachments: { type: 'array', items: { $ref: 'Attachment#' } },
    createdAt: dateTime,
  },
} as const;

export const ticketNumberParams = {
  type: 'object',
  additionalProperties: false,
  required: ['number'],
  properties: { number: { type: 'integer', minimum: 1, description: 'The ticket number (without #).' } },
} as const;

function attachmentJson(a: AttachmentRef): Record<string, unknown> {
  return { fileId: a.fileId, filename: a.filename, contentType: a.contentType, size: a.size, inline: a.inline, ...(a.skipped ? { skipped: a.skipped } : {}) };
}

function sourceJson(source: Ticket['source']): Record<string, unknown> | null {
  return source ? { job: source.job, mailbox: source.mailbox, internetMessageId: source.internetMessageId, hasMime: source.rawMimeFileId !== null, backlog: source.backlog === true } : null;
}

/** The API's view of a ticket: no internal keys, no stored HTML. */
export function ticketJson(t: Ticket): Record<string, unknown> {
  return {
    number: t.number, subject: t.subject, description: t.description, status: t.status, priority: t.priority, assignee: t.assignee, group: t.group,
    dueAt: t.dueAt, fields: t.fields, requester: t.requester, source: sourceJson(t.source), attachments: t.attachments.map(attachmentJson),
    commentCount: t.commentCount, createdAt: t.createdAt, updatedAt: t.updatedAt,
  };
}

export function commentJson(c: TicketComment): Record<string, unknown> {
  return { key: c.key, ticketNumber: c.ticketNumber, author: c.author, body: c.body, source: sourceJson(c.source), attachments: c.attachments.map(attachmentJson), internal: c.internal === true, createdAt: c.createdAt };
}

export function objectJson(o: StoredObject): Record<string, unknown> {
  return { key: o.key, type: o.type, title: o.title, fields: o.fields, source: sourceJson(o.source), attachments: o.attachments.map(attachmentJson), createdAt: o.createdAt };
}

/** Shared schemas, registered once with the validators and the OpenAPI document. */
export const ticketSharedSchemas = [attachmentSchema, ticketSchema, commentSchema, objectSchema];
