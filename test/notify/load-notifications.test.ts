import { readFile } from 'node:fs/promises';
import test from 'ava';
import { compileNotifications } from '../../src/notify/index.ts';

const template = { subject: 'S', html: '<p>h</p>', text: 't' };

test('the shipped rules/notifications.json compiles with the three default rules', async (t) => {
  const document = JSON.parse(await readFile('rules/notifications.json', 'utf8')) as unknown;
  const result = compileNotifications(document, 'rules/notifications.json');
  if (!result.ok) return void t.fail(JSON.stringify(result.problems));
  t.deepEqual(result.compiled.rules.map((r) => [r.name, r.trigger, r.leadTimeMs]), [
    ['acknowledge-new-ticket', 'ticket.created', null],
    ['notify-assignee', 'ticket.assigned', null],
    ['remind-before-due', 'due-approaching', 4 * 3_600_000],
  ]);
  t.is(await result.compiled.renderLink({ ticket: { number: 1042 } }), 'https://helpdesk.contoso.example/tickets/1042');
  t.is(result.compiled.limits.perRecipientPerHour, 20);
  t.is(result.compiled.limits.maxAttempts, 5);
});

const problemCases: { title: string; document: unknown; expect: { pointer: string; message: RegExp }[] }[] = [
  {
    title: 'schema: unknown trigger and missing recipients',
    document: { rules: [{ name: 'a', trigger: 'ticket.deleted', template: 'x' }] },
    expect: [{ pointer: '/rules/0/trigger', message: /must be one of/ }, { pointer: '/rules/0', message: /recipients/ }],
  },
  {
    title: 'due-approaching without a lead time',
    document: { rules: [{ name: 'a', trigger: 'due-approaching', recipients: ['assignee'], template }] },
    expect: [{ pointer: '/rules/0', message: /leadTime/ }],
  },
  {
    title: 'a lead time on another trigger, an unknown template, an unknown group',
    document: { rules: [{ name: 'a', trigger: 'ticket.created', leadTime: '1 hour', recipients: [{ group: 'nobody' }], template: 'missing' }] },
    expect: [
      { pointer: '/rules/0/leadTime', message: /only to the trigger due-approaching/ },
      { pointer: '/rules/0/recipients/0/group', message: /no group "nobody"/ },
      { pointer: '/rules/0/template', message: /no template "missing"/ },
    ],
  },
  {
    title: 'broken JSONata and broken Liquid are reported with their place',
    document: {
      templates: { bad: { subject: '{{ ticket.subject ', html: 'x', text: 'x' } },
      rules: [{ name: 'a', trigger: 'ticket.created', condition: 'ticket.status = ', recipients: [{ expression: '$$$(' }], template: 'bad' }],
    },
    expect: [
      { pointer: '/templates/bad', message: /template:/ },
      { pointer: '/rules/0/condition', message: /JSONata/ },
      { pointer: '/rules/0/recipients/0/expression', message: /JSONata/ },
    ],
  },
  {
    title: 'a duplicate rule name and an unknown filter',
    document: { rules: [
      { name: 'a', trigger: 'ticket.created', recipients: ['requester'], template },
      { name: 'a', trigger: 'ticket.created', recipients: ['requester'], template: { ...template, text: '{{ ticket.subject | shout }}' } },
    ] },
    expect: [{ pointer: '/rules/1/name', message: /used twice/ }, { pointer: '/rules/1/template', message: /shout/ }],
  },
];

for (const c of problemCases) {
  test(`problems: ${c.title}`, (t) => {
    const result = compileNotifications(c.document, 'rules/notifications.json');
    if (result.ok) return void t.fail('expected problems');
    for (const expected of c.expect) {
      t.true(result.problems.some((p) => p.pointer === expected.pointer && expected.message.test(p.message) && p.file === 'rules/notifications.json'),
        `${expected.pointer} ${expected.message} in ${JSON.stringify(result.problems)}`);
    }
  });
}
