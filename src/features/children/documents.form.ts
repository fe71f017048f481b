import { uploadedFile } from '../../plugins/uploads.ts'
import { FormProblems, type FormErrors } from '../../forms/validation.ts'
import {
  ALLOWED_DOCUMENT_NAMES,
  ALLOWED_DOCUMENT_TYPES,
  DOCUMENT_MAX_BYTES,
  isDocumentKind,
  type DocumentKind,
} from '../../domain/documents.ts'
import { safeFilename } from '../../shared/download.ts'

const TITLE_MAX = 200

export interface DocumentUpload {
  title: string
  kind: DocumentKind | null
  filename: string
  contentType: string
  content: Buffer
}

export interface TypedDocument {
  title: string
  kind: string
}

/**
 * A document posted with a form (the child's documents page or a PEP's): its title, what it is
 * when asked (`askKind`), and the file, whose type is read from its content, not its name.
 */
export async function readDocumentForm(
  body: Record<string, unknown> | undefined,
  options: { askKind: boolean },
): Promise<{ typed: TypedDocument; errors?: FormErrors; value?: DocumentUpload }> {
  const title = typeof body?.title === 'string' ? body.title.trim() : ''
  const kind = typeof body?.kind === 'string' ? body.kind : ''
  const file = uploadedFile(body?.file)
  const problems = new FormProblems()
  if (!title) problems.add('title', 'Enter a title for the document')
  else if (title.length > TITLE_MAX)
    problems.add('title', `The title must be ${TITLE_MAX} characters or fewer`)
  if (options.askKind && !isDocumentKind(kind)) problems.add('kind', 'Select what the document is')

  let type: { ext: string; mime: string } | undefined
  if (!file || file.content.length === 0) problems.add('file', 'Select a file')
  else if (file.truncated)
    problems.add('file', `The selected file must be smaller than ${formatSize(DOCUMENT_MAX_BYTES)}`)
  else {
    const { fileTypeFromBuffer } = await import('file-type')
    const detected = await fileTypeFromBuffer(file.content)
    if (!detected || ALLOWED_DOCUMENT_TYPES[detected.ext] !== detected.mime) {
      problems.add('file', `The selected file must be a ${ALLOWED_DOCUMENT_NAMES}`)
    } else type = { ext: detected.ext, mime: detected.mime }
  }
  const typed = { title, kind }
  if (problems.any || !file || !type) return { typed, errors: problems.errors }
  return {
    typed,
    value: {
      title,
      kind: isDocumentKind(kind) ? kind : null,
      filename: safeFilename(file.filename, type.ext),
      contentType: type.mime,
      content: file.content,
    },
  }
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`
}
