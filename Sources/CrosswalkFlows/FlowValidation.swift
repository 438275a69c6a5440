import CrosswalkCore
import Foundation

extension Flow {
    /// What is wrong with the flow, one sentence each; empty when it can run.
    public var problems: [String] {
        var found: [String] = []
        if name.isEmpty { found.append("the flow has no name") }
        if source.connection.isEmpty || source.object.isEmpty { found.append("the source needs a connection and an object") }
        if let model = source.model, model.fields.isEmpty { found.append("model \(model.name) chooses no fields") }
        if targets.isEmpty { found.append("the flow has no target") }
        var seen: Set<String> = []
        for (index, target) in targets.enumerated() {
            let label = "target \(target.name)"
            if !seen.insert(target.name).inserted { found.append("two targets are named \(target.name)") }
            if target.connection.isEmpty || target.object.isEmpty { found.append("\(label) needs a connection and an object") }
            if target.mapping.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { found.append("\(label) has no mapping") }
            let earlier = Set(targets[..<index].map(\.name))
            for link in target.links {
                switch (link.step, link.lookup) {
                case (let step?, nil):
                    if !earlier.contains(step) { found.append("\(label) links to \(step), which is not an earlier target of the flow") }
                case (nil, let field?):
                    if field.isEmpty { found.append("\(label) has a lookup link with no field") }
                case (nil, nil):
                    found.append("\(label) has a link that names neither an earlier target (step) nor a source field (lookup)")
                case (_?, _?):
                    found.append("\(label) has a link that names both an earlier target (step) and a source field (lookup): choose one")
                }
            }
            for key in target.matchKeys where key.field.isEmpty { found.append("\(label) has a match key with no field") }
            if case .archive(let fields) = target.deletePolicy, fields.isEmpty {
                found.append("\(label) archives deleted records but sets no field")
            }
        }
        if isTwoWay {
            if targets.count != 1 { found.append("a two-way flow has exactly one target (it has \(targets.count))") }
            if case .twoWay(let settings) = direction, settings.reverseMapping.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                found.append("a two-way flow needs a reverse mapping")
            }
            if targets.first?.writeBack != nil { found.append("a two-way flow maps back; it does not also write ids back") }
        }
        for rule in dependencies {
            if rule.field == nil && rule.linkType == nil { found.append("dependency on \(rule.object) names neither a field nor a link type") }
            if rule.whenMissing == .sync && (rule.flow ?? "").isEmpty {
                found.append("dependency on \(rule.object) syncs the parent (when_missing: sync) but names no flow to sync it through")
            }
            if rule.flow == name { found.append("dependency on \(rule.object) syncs the parent through this same flow") }
        }
        return found
    }

    /// Throws `.invalidFlow` listing every problem.
    public func validate() throws {
        let problems = self.problems
        guard problems.isEmpty else {
            throw CrosswalkError(.invalidFlow, "flow \(name): " + problems.joined(separator: "; "), context: ["flow": name])
        }
    }
}
