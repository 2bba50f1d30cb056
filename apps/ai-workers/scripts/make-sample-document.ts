/**
 * Writes `fixtures/sample-document.pdf`: a three-page study text (an IELTS-style reading on
 * renewable energy) with a title, section headings and ordinary prose, made with pdf-lib so it has
 * a real text layer and page structure. The output is byte-for-byte reproducible (fixed dates), so
 * the embedding cache key of the sample stays the same across regenerations.
 *
 *   pnpm --filter @bandup/ai-workers exec tsx scripts/make-sample-document.ts
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PDFDocument, type PDFFont, rgb, StandardFonts } from 'pdf-lib';

const TITLE = 'Renewable Energy: A Study Guide';

/** Each page: a list of [heading, paragraphs]. */
const PAGES: readonly (readonly [string, readonly string[]])[][] = [
  [
    [
      'Why the energy mix is changing',
      [
        'For most of the twentieth century, electricity was generated mainly by burning coal, oil and natural gas. These fossil fuels release carbon dioxide when they burn, and carbon dioxide is the main greenhouse gas responsible for global warming.',
        'Renewable energy comes from sources that are naturally replenished on a human timescale, such as sunlight, wind, flowing water and the heat inside the Earth. Because these sources do not run out, they are often described as sustainable.',
        "In 2023, renewables supplied about 30 per cent of the world's electricity. Hydroelectric power remained the largest single renewable source, but solar and wind capacity grew faster than any other technology.",
      ],
    ],
    [
      'Solar power',
      [
        'Photovoltaic panels convert sunlight directly into electricity. When light strikes a layer of silicon, it frees electrons, and this flow of electrons is an electric current.',
        'The cost of solar panels fell by roughly 90 per cent between 2010 and 2020, which made solar the cheapest source of new electricity in many sunny countries.',
      ],
    ],
  ],
  [
    [
      'Wind power',
      [
        'Wind turbines capture the kinetic energy of moving air. The wind turns the blades, which spin a shaft connected to a generator.',
        'Offshore wind farms are built at sea, where winds are stronger and more consistent than on land. However, they are more expensive to build and maintain because of the harsh marine environment.',
      ],
    ],
    [
      'Intermittency and storage',
      [
        'The main weakness of solar and wind power is intermittency: panels produce nothing at night, and turbines stop when the wind drops. Grid operators must therefore balance supply and demand from minute to minute.',
        'Energy storage reduces this problem. Lithium-ion batteries can store surplus electricity for a few hours, while pumped hydro storage moves water uphill when power is cheap and releases it through turbines when demand is high.',
      ],
    ],
  ],
  [
    [
      'Hydroelectric and geothermal energy',
      [
        'Hydroelectric dams use the potential energy of water held in a reservoir. Unlike solar and wind, hydropower can be dispatched on demand, but large dams can flood valleys and displace communities.',
        'Geothermal plants use steam from hot rocks deep underground to drive turbines. Iceland generates about a quarter of its electricity in this way because it lies on a boundary between tectonic plates.',
      ],
    ],
    [
      'Policy and the energy transition',
      [
        'The shift from fossil fuels to low-carbon sources is known as the energy transition. Governments encourage it with subsidies, carbon taxes and targets for net zero emissions, a state in which the greenhouse gases a country emits are balanced by those it removes.',
        'Critics argue that the transition must be fair: workers in coal regions need retraining, and households on low incomes should not bear a disproportionate share of the cost.',
      ],
    ],
  ],
];

const PAGE_WIDTH = 595;
const PAGE_HEIGHT = 842;
const MARGIN = 60;

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) > width && line) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  return lines;
}

export async function makeSampleDocument(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const fixed = new Date('2026-01-15T09:00:00Z');
  doc.setTitle(TITLE);
  doc.setAuthor('Bandup sample content');
  doc.setSubject('IELTS reading practice: renewable energy');
  doc.setProducer('bandup make-sample-document');
  doc.setCreator('bandup make-sample-document');
  doc.setCreationDate(fixed);
  doc.setModificationDate(fixed);
  const body = await doc.embedFont(StandardFonts.TimesRoman);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);

  PAGES.forEach((sections, pageIndex) => {
    const page = doc.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
    let y = PAGE_HEIGHT - MARGIN;
    if (pageIndex === 0) {
      page.drawText(TITLE, { x: MARGIN, y, size: 18, font: bold });
      y -= 36;
    }
    for (const [heading, paragraphs] of sections) {
      page.drawText(heading, { x: MARGIN, y, size: 13, font: bold, color: rgb(0.1, 0.2, 0.45) });
      y -= 22;
      for (const paragraph of paragraphs) {
        for (const line of wrap(paragraph, body, 11.5, PAGE_WIDTH - 2 * MARGIN)) {
          page.drawText(line, { x: MARGIN, y, size: 11.5, font: body });
          y -= 16;
        }
        y -= 8;
      }
      y -= 10;
    }
    page.drawText(`Page ${pageIndex + 1} of ${PAGES.length}`, {
      x: PAGE_WIDTH / 2 - 25,
      y: 30,
      size: 9,
      font: body,
    });
  });
  return doc.save({ useObjectStreams: false });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const target = fileURLToPath(new URL('../fixtures/sample-document.pdf', import.meta.url));
  const bytes = await makeSampleDocument();
  await writeFile(target, bytes);
  console.log(`wrote ${target} (${bytes.byteLength} bytes)`);
}
