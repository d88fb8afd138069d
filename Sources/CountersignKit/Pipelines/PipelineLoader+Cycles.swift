extension PipelineLoader {
    /// Reports each cycle in `after` once, named step by step (`a -> b -> a`, where `a -> b` means
    /// a waits for b), at the `after` entry of its first step in file order.
    mutating func checkCycles() {
        var reported: Set<String> = []
        for start in declaredSteps.map(\.text) where !reported.contains(start) {
            guard let cycle = shortestCycle(from: start), reported.isDisjoint(with: cycle) else { continue }
            reported.formUnion(cycle)
            let next = cycle.count > 1 ? cycle[1] : start
            guard let entry = dependencies[start]?.first(where: { $0.text == next }) else { continue }
            reader.error("'after' forms a cycle: \((cycle + [start]).joined(separator: " -> "))", at: entry.location)
        }
    }

    /// The shortest path `start -> ... -> start` along `after`, without the final `start`.
    private func shortestCycle(from start: String) -> [String]? {
        var previous: [String: String] = [:]
        var queue = [start]
        var index = 0
        while index < queue.count {
            let current = queue[index]
            index += 1
            for next in dependencies[current, default: []].map(\.text) {
                if next == start {
                    var path = [current]
                    while let step = previous[path[0]] { path.insert(step, at: 0) }
                    return path
                }
                if previous[next] == nil, next != start {
                    previous[next] = current
                    queue.append(next)
                }
            }
        }
        return nil
    }
}
