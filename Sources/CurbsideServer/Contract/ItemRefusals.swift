import CurbsideCore

/// The items of a batch the contract refused one by one (an operation whose
/// body names a member with `x-curbside-items-alone`): the handler receives
/// the batch without them and reports them beside its own refusals, each at
/// its position in the batch as sent.
struct ItemRefusals: Sendable {
    /// Positions in the batch as sent of the items passed on, in order.
    var kept: [Int]
    var refused: [ImportIssue]

    /// The position in the batch as sent of the handler's item `index`.
    func original(_ index: Int) -> Int { kept[index] }

    /// Splits `items` by the problems found in them (paths such as `events[3].time`), or
    /// nil when a problem is not inside one item, and the batch as a whole is refused.
    static func split(_ items: [JSONValue], member: String, problems: [ContractProblem]) -> (kept: [JSONValue], refusals: ItemRefusals)? {
        var byItem: [Int: [ContractProblem]] = [:]
        for problem in problems {
            guard let index = itemIndex(problem.path, member: member), items.indices.contains(index) else { return nil }
            byItem[index, default: []].append(problem)
        }
        let kept = items.indices.filter { byItem[$0] == nil }
        let refused = byItem.keys.sorted().map { index -> ImportIssue in
            let problems = byItem[index]!
            var id: String?
            if case let .object(members) = items[index], case let .string(text)? = members["event_id"] { id = text }
            let more = problems.count > 1 ? " (and \(problems.count - 1) more)" : ""
            return ImportIssue(index: index, id: id, code: problems[0].code.rawValue, message: problems[0].message + more, field: problems[0].path)
        }
        return (kept.map { items[$0] }, ItemRefusals(kept: kept, refused: refused))
    }

    /// 3 for `events[3]` or `events[3].time` when the member is `events`.
    static func itemIndex(_ path: String, member: String) -> Int? {
        guard path.hasPrefix(member + "[") else { return nil }
        let rest = path.dropFirst(member.count + 1)
        guard let close = rest.firstIndex(of: "]") else { return nil }
        return Int(rest[..<close])
    }
}
