import CrosswalkPluginKit

struct SPOTIOLeadWriter {
    let api: SPOTIOAPI
    let schema: SPOTIOSchemaCache
    let settings: SPOTIOSettings
    let host: ConnectorHost
    func write(_ request: WriteRequest) throws -> WriteResult { throw ConnectorError(.unsupported, "not yet") }
}

struct SPOTIOActivityWriter {
    let api: SPOTIOAPI
    func write(_ request: WriteRequest) throws -> WriteResult { throw ConnectorError(.unsupported, "not yet") }
}

struct SPOTIOWebhookParser {
    let schema: SPOTIOSchemaCache
    func parse(_ request: WebhookRequest) throws -> WebhookResult { throw ConnectorError(.unsupported, "not yet") }
}
