import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { attachmentDisposition, safeFilename } from '../download.ts'
import { csvStream, csvText, safeCellText } from './csv.ts'
import type { ExportTable } from './export-table.ts'
import { sheetName, xlsxStream } from './xlsx.ts'
import { csvZip } from './zip.ts'
import { unzipSync } from 'fflate'

/* The one export writer: files that open, with hostile cells made safe. */

interface Person {
  name: string
  note: string | null
  amount: number | null
}

/** Cells a person could type that a spreadsheet would run, or that break naive CSV. */
const HOSTILE = [
  '=HYPERLINK("http://evil.example","click")',
  '+SUM(A1:A9)',
  '-2+3',
  '@SUM(1)',
  '\t=1+1',
  '\r=1+1',
  'a, b',
  'say "hi"',
  'two\nlines',
  'cr\r\nlf',
  'Amélie Ŷr 😀',
  "O'Brien",
  '',
]

const people: Person[] = HOSTILE.map((name, i) => ({
  name,
  note: i % 2 ? null : `note ${i}`,
  amount: i === 0 ? -12.5 : i,
}))

const table = (rows: Iterable<Person> | AsyncIterable<Person>): ExportTable<Person> => ({
  title: 'Children: "Oak" /test',
  preamble: ['Children in care of Harrowfield', 'School: =Oak Academy'],
  columns: [
    { header: 'Name', value: (p) => p.name },
    { header: 'Note', value: (p) => p.note },
    { header: 'Amount', value: (p) => p.amount },
  ],
  rows,
})

async function bytes(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)))
  return Buffer.concat(chunks)
}

describe('making a cell safe from formula injection', () => {
  it('puts an apostrophe before text that a spreadsheet would run, and nothing else', () => {
    for (const text of ['=1', '+1', '-1', '@x', '\tx', '\rx'])
      expect(safeCellText(text)).toBe(`'${text}`)
    for (const text of ['1', 'a=b', ' =1', "'=1", '', '£5', '(1)'])
      expect(safeCellText(text)).toBe(text)
  })
})

describe('CSV files', () => {
  it('opens as the same table, UTF-8 with a byte order mark, formula cells made text', async () => {
    const file = await bytes(csvStream(table(people)))
    expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = file.toString('utf8')
    // RFC 4180: every line ends CRLF, line breaks inside cells are quoted.
    expect(text.endsWith('\r\n')).toBe(true)
    const records = parse(file, { bom: true, relax_column_count: true }) as string[][]
    expect(records.slice(0, 4)).toEqual([
      ['Children in care of Harrowfield'],
      ['School: =Oak Academy'],
      [''],
      ['Name', 'Note', 'Amount'],
    ])
    const rows = records.slice(4)
    expect(rows).toHaveLength(people.length)
    rows.forEach((row, i) => {
      const person = people[i]!
      expect(row).toEqual([safeCellText(person.name), person.note ?? '', String(person.amount)])
    })
    expect(rows[0]![0]).toBe(`'=HYPERLINK("http://evil.example","click")`)
    expect(rows[4]![0]).toBe("'\t=1+1")
    expect(rows[5]![0]).toBe("'\r=1+1")
    expect(rows[8]![0]).toBe('two\nlines')
    expect(rows[10]![0]).toBe('Amélie Ŷr 😀')
    // Numbers are numbers, not text: a negative amount is not prefixed.
    expect(rows[0]![2]).toBe('-12.5')
  })

  it('leaves out the byte order mark when asked (a template of column names alone)', async () => {
    const text = await csvText(
      { title: 't', columns: [{ header: 'a', value: () => '' }], rows: [] },
      { bom: false },
    )
    expect(text).toBe('a\r\n')
  })

  it('streams rows from an async source as they come', async () => {
    async function* many() {
      for (let i = 0; i < 20_000; i++) yield { name: `Child ${i}`, note: null, amount: i }
    }
    const records = parse(await bytes(csvStream({ ...table(many()), preamble: [] })), {
      bom: true,
    }) as string[][]
    expect(records).toHaveLength(20_001)
    expect(records.at(-1)).toEqual(['Child 19999', '', '19999'])
  })

  it('fails the stream, rather than ending it cut short, when reading the rows fails', async () => {
    async function* failing() {
      yield people[0]!
      throw new Error('the database went away')
    }
    await expect(bytes(csvStream(table(failing())))).rejects.toThrow('the database went away')
  })
})

describe('ZIPs of CSV files', () => {
  it('holds one CSV per table, each written by the CSV writer with its formula cells made text', async () => {
    const zip = await csvZip([
      { name: 'first', table: table(people) },
      { name: 'second/../=evil', table: table(people.slice(0, 1)) },
    ])
    const files = unzipSync(zip)
    expect(Object.keys(files)).toEqual(['first.csv', 'second .. =evil.csv'])
    expect(Buffer.from(files['first.csv']!).equals(Buffer.from(await csvText(table(people))))).toBe(
      true,
    )
    const second = parse(Buffer.from(files['second .. =evil.csv']!), {
      bom: true,
      relax_column_count: true,
    }) as string[][]
    expect(second[4]![0]).toBe(`'=HYPERLINK("http://evil.example","click")`)
  })

  it('refuses two files of the same name', async () => {
    await expect(
      csvZip([
        { name: 'same', table: table([]) },
        { name: 'same', table: table([]) },
      ]),
    ).rejects.toThrow('Two files named same.csv')
  })
})

describe('spreadsheets', () => {
  it('opens in ExcelJS with every text cell as text (no formula), numbers as numbers', async () => {
    const { default: ExcelJS } = await import('exceljs')
    const file = await bytes(xlsxStream(table(people)))
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(file as unknown as ArrayBuffer)
    const sheet = workbook.worksheets[0]!
    expect(sheet.name).toBe('Children "Oak" test')
    expect(sheet.getCell('A1').value).toBe('Children in care of Harrowfield')
    expect(sheet.getCell('A2').value).toBe('School: =Oak Academy')
    expect(sheet.getRow(4).values).toEqual([undefined, 'Name', 'Note', 'Amount'])
    expect(sheet.getRow(4).font?.bold).toBe(true)
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 })
    people.forEach((person, i) => {
      const row = sheet.getRow(5 + i)
      const name = row.getCell(1)
      expect(name.type).toBe(ExcelJS.ValueType.String)
      // XML keeps a line break as a line feed: a carriage return comes back as one.
      expect(name.value).toBe(person.name.replace(/\r\n?/g, '\n'))
      expect(name.formula).toBeUndefined()
      expect(row.getCell(3).value).toBe(person.amount)
      expect(row.getCell(3).type).toBe(ExcelJS.ValueType.Number)
    })
    expect(sheet.rowCount).toBe(4 + people.length)
  })

  it('fails the stream when reading the rows fails', async () => {
    async function* failing() {
      yield people[0]!
      throw new Error('the database went away')
    }
    await expect(bytes(xlsxStream(table(failing())))).rejects.toThrow('the database went away')
  })

  it('names a sheet within Excel’s rules', () => {
    expect(sheetName('Children: [all] / 2026?')).toBe('Children all 2026')
    expect(sheetName('x'.repeat(40))).toHaveLength(31)
    expect(sheetName("'[]'")).toBe('Export')
  })
})

describe('download names', () => {
  it('offers a safe file name in an ASCII fallback and exactly in UTF-8', () => {
    const name = safeFilename('Plant y Sir – "Gŵyl" (2026)\r\n*', 'csv')
    expect(name).toBe('Plant y Sir – Gŵyl (2026).csv')
    expect(attachmentDisposition(name)).toBe(
      `attachment; filename="Plant y Sir _ G_yl (2026).csv"; filename*=UTF-8''Plant%20y%20Sir%20%E2%80%93%20G%C5%B5yl%20%282026%29.csv`,
    )
    expect(attachmentDisposition('100% "done".csv')).toBe(
      `attachment; filename="100_ _done_.csv"; filename*=UTF-8''100%25%20%22done%22.csv`,
    )
  })
})
