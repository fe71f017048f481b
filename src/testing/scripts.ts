/**
 * The same answer typed in every script a child or a carer in England might use, so a PDF with
 * them reads every font of the PDF's chain: pep-pdf.test.ts reads each back from the PDF, and
 * bench/pdf.ts times a PEP with a page of them.
 */
export const SCRIPTS = {
  english: 'I like reading and football.',
  welsh: 'Rwy’n hoffi darllen yn Llŷn a Gŵyl Dewi',
  greek: 'Μου αρέσει το διάβασμα',
  cyrillic: 'Мне нравится читать',
  devanagari: 'नमस्ते, मुझे पढ़ना पसंद है',
  bengali: 'আমি পড়তে ভালোবাসি',
  gurmukhi: 'ਸਤਿ ਸ੍ਰੀ ਅਕਾਲ, ਮੈਨੂੰ ਪੜ੍ਹਨਾ ਪਸੰਦ ਹੈ',
  chinese: '我喜欢读书和踢足球',
  emoji: 'Happy 😀🎉 👍🏽 ❤️ 👨‍👩‍👧',
  arabic: 'مرحبا، أحب القراءة',
  hebrew: 'שלום, אני אוהב לקרוא',
  'arabic with numbers': 'عمري 12 سنة',
} as const

export type Script = keyof typeof SCRIPTS

/** The scripts written right to left (poppler reads them back from their ActualText). */
export const RIGHT_TO_LEFT: readonly Script[] = ['arabic', 'hebrew', 'arabic with numbers']

/** One answer a script, labelled "In <script>", as a page of a PEP's PDF model holds them. */
export function answersInEveryScript() {
  return Object.entries(SCRIPTS).map(([script, text]) => ({
    label: `In ${script}`,
    answer: { kind: 'text' as const, text },
  }))
}
