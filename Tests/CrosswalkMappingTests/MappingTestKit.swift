import CrosswalkConnectors
import CrosswalkCore
import Foundation
@testable import CrosswalkMapping

/// Small factories for the mapping suites.
enum MT {
    /// The value of one expression on a record (compiled as `x = expression`).
    static func value(_ expression: String, _ record: [String: JSONValue] = [:], context: CompileContext = .dynamic,
                      environment: EvaluationEnvironment = .empty) throws -> JSONValue {
        let program = try MappingProgram.compile("x = \(expression)", context: context)
        return try program.evaluate(record: record, environment: environment).fields["x"] ?? .null
    }

    /// The fields a mapping produces.
    static func map(_ text: String, _ record: [String: JSONValue] = [:], context: CompileContext = .dynamic,
                    environment: EvaluationEnvironment = .empty) throws -> [String: JSONValue] {
        try MappingProgram.compile(text, context: context).evaluate(record: record, environment: environment).fields
    }

    /// The compile error of a mapping, or nil when it compiles.
    static func compileError(_ text: String, context: CompileContext = .dynamic) -> MappingError? {
        do {
            _ = try MappingProgram.compile(text, context: context)
            return nil
        } catch { return error }
    }

    static func criteriaError(_ text: String, context: CompileContext = .dynamic) -> MappingError? {
        do {
            _ = try CriteriaProgram.compile(text, context: context)
            return nil
        } catch { return error }
    }

    /// The evaluation error of one expression.
    static func evalError(_ expression: String, _ record: [String: JSONValue] = [:], context: CompileContext = .dynamic,
                          environment: EvaluationEnvironment = .empty) -> MappingError? {
        do {
            let program = try MappingProgram.compile("x = \(expression)", context: context)
            _ = try program.evaluate(record: record, environment: environment)
            return nil
        } catch { return error }
    }

    static func number(_ text: String) -> JSONValue { .number(try! JSONNumber(text: text)) }

    /// A Salesforce-like contact schema.
    static let contact = ObjectSchema(name: "Contact", fields: [
        FieldSchema(name: "Id", type: .id), FieldSchema(name: "Email", type: .email), FieldSchema(name: "FirstName", type: .string),
        FieldSchema(name: "LastName", type: .string), FieldSchema(name: "Amount", type: .currency),
        FieldSchema(name: "IsActive", type: .boolean), FieldSchema(name: "AccountId", type: .reference, referenceTo: ["Account"]),
        FieldSchema(name: "WhatId", type: .reference, referenceTo: ["Account", "Opportunity"]),
        FieldSchema(name: "Birthdate", type: .date), FieldSchema(name: "MailingAddress", type: .address),
        FieldSchema(name: "Stage", type: .picklist), FieldSchema(name: "Tags", type: .json),
    ])

    static let schemaContext = CompileContext(sourceSchema: contact)
}
