import Foundation
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkFlows
import CrosswalkStore

/// A flow ready to run: its logic compiled, its connections resolved, its passes laid out (one,
/// or two for a two-way flow: source → target, then target → source).
struct CompiledFlow: Sendable {
    let flow: Flow
    let link: String
    let passes: [Pass]

    var name: String { flow.name }

    /// The pass that reads `connection`'s `object`.
    func pass(reading ref: ObjectRef) -> Pass? { passes.first { $0.from == ref } }

    /// The step whose intents name `id`, in any pass.
    func step(id: String) -> (Pass, Step)? {
        for pass in passes { if let step = pass.steps.first(where: { $0.id == id }) { return (pass, step) } }
        return nil
    }

    init(flow: Flow, connectors: [String: EngineConnector], compiler: any FlowCompiler) throws {
        try flow.validate()
        func connector(_ name: String) throws -> EngineConnector {
            guard let c = connectors[name] else {
                throw CrosswalkError(.config, "flow \(flow.name) uses connection \(name), which is not open", context: ["flow": flow.name, "connection": name])
            }
            return c
        }
        self.flow = flow
        let source = try connector(flow.source.connection)
        let first = flow.targets[0]
        link = flow.link ?? LinkName.between(flow.source.connection, first.connection)
        let from = ObjectRef(connection: flow.source.connection, object: flow.source.object)
        let sourceSide = LinkName.side(of: flow.source.connection, with: first.connection)
        func context(_ step: String?, _ sourceRef: ObjectRef, _ target: ObjectRef?) -> MappingContext {
            MappingContext(flow: flow.name, step: step, sourceConnection: sourceRef.connection, sourceObject: sourceRef.object,
                           targetConnection: target?.connection, targetObject: target?.object)
        }
        let criteria = try flow.criteria.map { try compiler.criteria($0, context: context(nil, from, nil)) }

        var twoWay: TwoWaySync?
        if case .twoWay(let settings) = flow.direction { twoWay = settings }
        let reverseMapper = try twoWay.map { settings -> any RecordMapper in
            let t = ObjectRef(connection: first.connection, object: first.object)
            return try compiler.mapper(settings.reverseMapping, context: context(Pass.reverseStepID, t, from))
        }

        var steps: [Step] = []
        let sourceOwns = twoWay?.owners.contains { $0.side == .source } ?? false
        let targetOwns = twoWay?.owners.contains { $0.side == .target } ?? false
        for target in flow.targets {
            let ref = ObjectRef(connection: target.connection, object: target.object)
            let mapper = try compiler.mapper(target.mapping, context: context(target.name, from, ref))
            let owned = Set((twoWay?.owners ?? []).filter { $0.side == .target }.map(\.field))
            steps.append(Step(
                id: target.name, target: target, to: ref, connector: try connector(target.connection),
                mapper: mapper, criteria: try target.criteria.map { try compiler.criteria($0, context: context(target.name, from, ref)) },
                written: mapper.targetFields.filter { !owned.contains($0) },
                sourceProjection: reverseMapper.map { r in
                    let ownedBySource = Set((twoWay?.owners ?? []).filter { $0.side == .source }.map(\.field))
                    return r.targetFields.filter { !ownedBySource.contains($0) }
                }, fromSideOwnsFields: sourceOwns))
        }
        var passes = [Pass(direction: .source, from: from, connector: source, side: sourceSide, criteria: criteria, model: flow.source.model,
                           dependencies: flow.dependencies, steps: steps, conflict: twoWay?.conflict)]
        if let twoWay, let reverseMapper {
            let target = steps[0]
            let ownedBySource = Set(twoWay.owners.filter { $0.side == .source }.map(\.field))
            let back = FlowTarget(name: Pass.reverseStepID, connection: flow.source.connection, object: flow.source.object, mode: first.mode,
                                  deletePolicy: first.deletePolicy, matchKeys: twoWay.reverseMatchKeys, mapping: twoWay.reverseMapping)
            let reverseStep = Step(id: Pass.reverseStepID, target: back, to: from, connector: source, mapper: reverseMapper, criteria: nil,
                                   written: reverseMapper.targetFields.filter { !ownedBySource.contains($0) },
                                   sourceProjection: target.written, fromSideOwnsFields: targetOwns)
            let reverseCriteria = try twoWay.reverseCriteria.map { try compiler.criteria($0, context: context(Pass.reverseStepID, target.to, from)) }
            passes.append(Pass(direction: .target, from: target.to, connector: target.connector, side: sourceSide.other, criteria: reverseCriteria,
                               model: nil, dependencies: [], steps: [reverseStep], conflict: twoWay.conflict))
        }
        self.passes = passes
    }
}

/// One direction of a flow: reads one object, writes its steps in order.
struct Pass: Sendable {
    /// The id of a two-way flow's step back to the source.
    static let reverseStepID = "~reverse"

    /// Which side of the flow is read: `.source` for the flow's own direction.
    let direction: FlowSide
    let from: ObjectRef
    let connector: EngineConnector
    /// The side of `from` in the flow's link.
    let side: LinkSide
    let criteria: (any RecordCriteria)?
    let model: FlowModel?
    let dependencies: [DependencyRule]
    let steps: [Step]
    /// Two-way flows: what wins when both records changed.
    let conflict: ConflictRule?

    /// The cursor's name in the store.
    var cursorKey: String { "\(from.connection)/\(from.object)" }
    var isTwoWay: Bool { conflict != nil }
}

/// One target of a pass.
struct Step: Sendable {
    let id: String
    let target: FlowTarget
    let to: ObjectRef
    let connector: EngineConnector
    let mapper: any RecordMapper
    let criteria: (any RecordCriteria)?
    /// The target fields written (the mapping's, less those the target side owns).
    let written: [String]
    /// Two-way: the source record's fields the way back writes, compared to tell whether the
    /// source record changed since the last sync; `nil` for one-way flows.
    let sourceProjection: [String]?
    /// Two-way: whether the side this step reads owns fields.
    var fromSideOwnsFields = false

    var mode: WriteMode { target.mode }
    var object: ConnectorManifest.Object? { connector.client.manifest.object(to.object) }
    var writeLimit: Int { connector.client.writeBatchLimit }
}
