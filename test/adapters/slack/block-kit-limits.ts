/**
 * Block Kit limits (PLATFORM-FACTS.md, Slack) as a checker: returns every violation found in a
 * message or modal, so a test can `expect(check(...)).toEqual([])` and see all problems at once.
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const textOf = (value: unknown): string => (isObject(value) && typeof value.text === 'string' ? value.text : '');
const arrayOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Whole-message text budget: Slack can answer msg_blocks_too_long around 13k. */
export const MESSAGE_TEXT_BUDGET = 12_000;

function checkElement(element: unknown, where: string, problems: string[], actionIds: Set<string>): void {
  if (!isObject(element)) return;
  const type = String(element.type);
  if (type === 'button') {
    if (textOf(element.text).length > 75) problems.push(`${where}: button text ${textOf(element.text).length} > 75`);
    if (typeof element.value === 'string' && element.value.length > 2000)
      problems.push(`${where}: button value ${element.value.length} > 2000`);
    if (typeof element.url === 'string' && element.url.length > 3000) problems.push(`${where}: button url > 3000`);
  }
  if (typeof element.action_id === 'string') {
    if (element.action_id.length > 255) problems.push(`${where}: action_id > 255`);
    if (actionIds.has(element.action_id))
      problems.push(`${where}: duplicate action_id ${element.action_id} in one block`);
    actionIds.add(element.action_id);
  }
  const options = arrayOf(element.options);
  if (options.length > 100) problems.push(`${where}: ${options.length} options > 100`);
  for (const [i, o] of options.entries()) {
    if (!isObject(o)) continue;
    if (textOf(o.text).length > 75) problems.push(`${where}.options[${i}]: text > 75`);
    if (typeof o.value === 'string' && o.value.length > 150) problems.push(`${where}.options[${i}]: value > 150`);
  }
  const values = new Set(options.filter(isObject).map((o) => o.value));
  for (const chosen of [element.initial_option, ...arrayOf(element.initial_options)]) {
    if (isObject(chosen) && !values.has(chosen.value))
      problems.push(`${where}: initial option ${String(chosen.value)} is not among the options`);
  }
  if (typeof element.initial_value === 'string' && element.initial_value.length > 3000)
    problems.push(`${where}: initial_value > 3000`);
}

function checkBlock(block: unknown, i: number, problems: string[], blockIds: Set<string>): number {
  if (!isObject(block)) {
    problems.push(`blocks[${i}] is not an object`);
    return 0;
  }
  const where = `blocks[${i}] (${String(block.type)})`;
  let text = 0;
  if (typeof block.block_id === 'string') {
    if (block.block_id.length > 255) problems.push(`${where}: block_id > 255`);
    if (blockIds.has(block.block_id)) problems.push(`${where}: duplicate block_id ${block.block_id}`);
    blockIds.add(block.block_id);
  }
  const actionIds = new Set<string>();
  switch (block.type) {
    case 'header': {
      const t = textOf(block.text);
      if (t.length === 0 || t.length > 150) problems.push(`${where}: header text ${t.length} not in 1..150`);
      if (isObject(block.text) && block.text.type !== 'plain_text')
        problems.push(`${where}: header must be plain_text`);
      text += t.length;
      break;
    }
    case 'section': {
      const t = textOf(block.text);
      const fields = arrayOf(block.fields);
      if (block.text !== undefined && (t.length === 0 || t.length > 3000))
        problems.push(`${where}: section text ${t.length} not in 1..3000`);
      if (block.text === undefined && fields.length === 0) problems.push(`${where}: section without text or fields`);
      if (fields.length > 10) problems.push(`${where}: ${fields.length} fields > 10`);
      for (const f of fields) {
        const ft = textOf(f);
        if (ft.length === 0 || ft.length > 2000) problems.push(`${where}: field text ${ft.length} not in 1..2000`);
        text += ft.length;
      }
      text += t.length;
      if (block.accessory) checkElement(block.accessory, `${where}.accessory`, problems, actionIds);
      break;
    }
    case 'context': {
      const elements = arrayOf(block.elements);
      if (elements.length === 0 || elements.length > 10)
        problems.push(`${where}: ${elements.length} elements not in 1..10`);
      for (const e of elements) {
        const t = textOf(e);
        if (t.length > 3000) problems.push(`${where}: context text ${t.length} > 3000`);
        text += t.length;
      }
      break;
    }
    case 'actions': {
      const elements = arrayOf(block.elements);
      if (elements.length === 0 || elements.length > 25)
        problems.push(`${where}: ${elements.length} elements not in 1..25`);
      for (const [j, e] of elements.entries()) checkElement(e, `${where}.elements[${j}]`, problems, actionIds);
      break;
    }
    case 'input': {
      const label = textOf(block.label);
      if (label.length === 0 || label.length > 2000) problems.push(`${where}: label ${label.length} not in 1..2000`);
      checkElement(block.element, `${where}.element`, problems, actionIds);
      break;
    }
    case 'divider':
      break;
    default:
      problems.push(`${where}: block type not expected from auditbot`);
  }
  return text;
}

function checkBlocks(blocks: unknown, max: number, problems: string[]): number {
  const list = arrayOf(blocks);
  if (list.length > max) problems.push(`${list.length} blocks > ${max}`);
  const blockIds = new Set<string>();
  return list.reduce<number>((sum, block, i) => sum + checkBlock(block, i, problems, blockIds), 0);
}

/** A chat message (chat.postMessage / response_url body): ≤50 blocks, text well under ~13k. */
export function checkMessage(message: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(message)) return ['message is not an object'];
  const blocks = typeof message.blocks === 'string' ? (JSON.parse(message.blocks) as unknown) : message.blocks;
  const text = checkBlocks(blocks, 50, problems);
  const fallback = typeof message.text === 'string' ? message.text.length : 0;
  if (fallback > 3000) problems.push(`fallback text ${fallback} > 3000`);
  if (text + fallback > MESSAGE_TEXT_BUDGET) problems.push(`message text ${text + fallback} > ${MESSAGE_TEXT_BUDGET}`);
  return problems;
}

/** A modal view: ≤100 blocks, title/submit/close ≤24, private_metadata ≤3000. */
export function checkModal(view: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(view)) return ['view is not an object'];
  for (const key of ['title', 'submit', 'close'] as const) {
    const t = textOf(view[key]);
    if (view[key] !== undefined && (t.length === 0 || t.length > 24)) problems.push(`${key} ${t.length} not in 1..24`);
  }
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000)
    problems.push('private_metadata > 3000');
  const hasInput = arrayOf(view.blocks).some((b) => isObject(b) && b.type === 'input');
  if (hasInput && view.submit === undefined) problems.push('a modal with inputs needs a submit button');
  checkBlocks(view.blocks, 100, problems);
  return problems;
}

/** Any mrkdwn text in a message or view. */
export function allText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(allText).join('\n');
  if (isObject(value)) return Object.values(value).map(allText).join('\n');
  return '';
}
