import { describe, it } from 'vitest'
import { accessWalk, demoUsersOfPart, walkAs } from '../testing/access-walk.ts'

// Need-to-know, part 3 of the demo's people: every route as each of them, with and without the
// child on their list (src/testing/access-walk.ts; the anonymous walk is in access.test.ts).
const walk = accessWalk()

describe('need-to-know: every route, every role, with and without access', () => {
  for (const user of demoUsersOfPart(2)) {
    it(`lets ${user.role} (${user.email}) in only where its role and the child's access list allow`, async () => {
      await walkAs(walk, user)
    })
  }
})
