import { randomBytes } from 'node:crypto';
import test from 'ava';
import { isAppError } from '../../src/core/index.ts';
import { batchBodyBytes, type BatchResponse } from '../../src/graph/index.ts';

const item = (body: unknown, contentType?: string): BatchResponse => ({ id: 'm7', status: 200, headers: contentType ? { 'content-type': contentType } : {}, body });
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');
const mime = 'From: a@b.example\r\nSubject: hello\r\n\r\nbody line\r\n';

test('binary bodies of every length and both alphabets decode to exactly their bytes', (t) => {
  for (let length = 0; length <= 70; length += 1) {
    const bytes = randomBytes(length);
    t.deepEqual(Buffer.from(batchBodyBytes(item(bytes.toString('base64'), 'application/octet-stream'))), bytes, `base64, ${length} bytes`);
    // base64url without padding is not a multiple of 4 long for most lengths; padded, it is what OData 4.01 names.
    const url = bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
    t.deepEqual(Buffer.from(batchBodyBytes(item(url, 'image/png'))), bytes, `base64url, ${length} bytes`);
  }
});

test('a MIME $value (text/plain) decodes from base64, from base64 wrapped in lines, and is taken as text when it is text', (t) => {
  const encoded = Buffer.from(mime).toString('base64');
  t.is(text(batchBodyBytes(item(encoded, 'text/plain'))), mime);
  t.is(text(batchBodyBytes(item(encoded.replace(/.{8}/g, '$&\r\n'), 'text/plain'))), mime);
  t.is(text(batchBodyBytes(item(mime, 'text/plain'))), mime);
  t.is(text(batchBodyBytes(item('hello', 'text/plain; charset=utf-8'))), 'hello');
  t.is(text(batchBodyBytes(item('Grüße, wie geht es?'))), 'Grüße, wie geht es?');
});

test('JSON bodies are re-serialised; no body is no bytes', (t) => {
  t.deepEqual(JSON.parse(text(batchBodyBytes(item({ id: 'x', value: [1, 2] }, 'application/json;odata.metadata=minimal')))), { id: 'x', value: [1, 2] });
  t.is(batchBodyBytes(item(null)).byteLength, 0);
  t.is(batchBodyBytes(item(undefined, 'application/octet-stream')).byteLength, 0);
  t.is(text(batchBodyBytes(item('not base64!', 'application/problem+json'))), 'not base64!');
});

test('a binary body that is not valid base64 is an error naming the item, never the text taken as bytes', (t) => {
  const good = Buffer.from('some attachment bytes, long enough').toString('base64');
  const broken = [
    good.slice(0, -1), // truncated
    `${good.slice(0, 4)}!${good.slice(5)}`, // a character outside the alphabet
    `${good.slice(0, 4)}=${good.slice(5)}`, // padding in the middle
    `${good.slice(0, -4)}YQ=x`, // padding not at the end
    `${good.slice(0, -4)}Y===`, // too much padding
  ];
  for (const body of broken) {
    const error = t.throws(() => batchBodyBytes(item(body, 'message/rfc822')), undefined, body);
    t.true(isAppError(error, 'GRAPH_ERROR'), body);
    t.regex(error!.message, /request "m7".*message\/rfc822.*not valid base64/, body);
    t.is(error!.message.includes(body), false, 'the body itself is not copied into the message');
  }
});
