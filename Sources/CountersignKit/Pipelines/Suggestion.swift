/// "Did you mean 'X'?" for a misspelt key or id: the closest known name by edit distance, when it is
/// close enough to be a likely typo (at most a third of the word's length, and at most 3 edits).
enum Suggestion {
    /// The candidate nearest to `word`, if one is plausibly what was meant.
    static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        let limit = min(3, max(1, word.count / 3))
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(word, candidate)
            if distance <= limit, distance < best?.distance ?? Int.max {
                best = (candidate, distance)
            }
        }
        return best?.name
    }

    /// `message` followed by "; did you mean 'X'?" when a close candidate exists.
    static func message(_ message: String, for word: String, in candidates: some Sequence<String>) -> String {
        guard let suggestion = closest(to: word, in: candidates) else { return message }
        return "\(message); did you mean '\(suggestion)'?"
    }

    /// Optimal string alignment distance over characters: an insertion, a deletion, a substitution
    /// or a swap of two neighbours ("titel" for "title") each cost 1.
    static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let left = Array(lhs)
        let right = Array(rhs)
        var table = [[Int]](repeating: [Int](repeating: 0, count: right.count + 1), count: left.count + 1)
        for row in 0...left.count { table[row][0] = row }
        for column in 0...right.count { table[0][column] = column }
        for row in stride(from: 1, through: left.count, by: 1) {
            for column in stride(from: 1, through: right.count, by: 1) {
                let same = left[row - 1] == right[column - 1]
                var best = min(
                    table[row - 1][column] + 1,
                    table[row][column - 1] + 1,
                    table[row - 1][column - 1] + (same ? 0 : 1)
                )
                if row > 1, column > 1, left[row - 1] == right[column - 2], left[row - 2] == right[column - 1] {
                    best = min(best, table[row - 2][column - 2] + 1)
                }
                table[row][column] = best
            }
        }
        return table[left.count][right.count]
    }
}
