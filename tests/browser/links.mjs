// Prints the personal link of every invitation in an outbox folder (.eml files), one per line,
// sorted by recipient. The link is read from the text/plain part after undoing its
// Content-Transfer-Encoding (quoted-printable or base64), so a soft line break can never cut it.
//
//   node links.mjs OUTBOX_DIR BASE_URL
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const [outbox, baseUrl] = process.argv.slice(2);
if (!outbox || !baseUrl) {
  console.error('usage: node links.mjs OUTBOX_DIR BASE_URL');
  process.exit(2);
}

function decodeQuotedPrintable(text) {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function headerBlock(part) {
  const end = part.search(/\r?\n\r?\n/);
  return end < 0 ? [part, ''] : [part.slice(0, end), part.slice(end).replace(/^\r?\n\r?\n/, '')];
}

function header(headers, name) {
  const unfolded = headers.replace(/\r?\n[ \t]+/g, ' ');
  const line = unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : '';
}

function decodeBody(headers, body) {
  const encoding = header(headers, 'Content-Transfer-Encoding').toLowerCase();
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body;
}

/** The decoded text/plain part of a message (the message itself when it is not multipart). */
function plainText(message) {
  const [headers, body] = headerBlock(message);
  const type = header(headers, 'Content-Type');
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!boundary) return decodeBody(headers, body);
  for (const part of body.split(`--${boundary}`)) {
    const [partHeaders, partBody] = headerBlock(part.replace(/^\r?\n/, ''));
    const partType = header(partHeaders, 'Content-Type').toLowerCase();
    if (partType.startsWith('multipart/')) {
      const nested = plainText(part.replace(/^\r?\n/, ''));
      if (nested) return nested;
    }
    if (partType.startsWith('text/plain')) return decodeBody(partHeaders, partBody);
  }
  return '';
}

const escaped = baseUrl.replace(/\/+$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const linkPattern = new RegExp(`${escaped}/s/[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])`);
const found = [];
for (const name of readdirSync(outbox).filter((n) => n.endsWith('.eml'))) {
  const message = readFileSync(join(outbox, name), 'utf8');
  const to = header(headerBlock(message)[0], 'To');
  const link = linkPattern.exec(plainText(message))?.[0];
  if (!link) {
    console.error(`no personal link starting with ${baseUrl}/s/ in the text part of ${name}`);
    process.exit(1);
  }
  found.push({ to, link });
}
found.sort((a, b) => a.to.localeCompare(b.to));
for (const { link } of found) console.log(link);
