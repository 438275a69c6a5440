import CrosswalkCore
import Foundation

/// A record that failed to sync, to be put in (or kept in) the failed-record queue.
public struct RecordFailure: Sendable, Hashable {
    public var flow: String
    public var source: RecordRef
    /// The source record as JSON, so a retry needs no re-read.
    public var payloadJSON: String
    public var errorCode: CrosswalkError.Code
    public var message: String
    /// The earliest time to try again.
    public var nextRetryAt: Date
    /// The record this one waits for (a contact's account that must be synced first): the
    /// failure is retried once that record has a twin.
    public var waitingOn: RecordRef?

    public init(flow: String, source: RecordRef, payloadJSON: String, errorCode: CrosswalkError.Code, message: String, nextRetryAt: Date,
                waitingOn: RecordRef? = nil) {
        self.flow = flow
        self.source = source
        self.payloadJSON = payloadJSON
        self.errorCode = errorCode
        self.message = message
        self.nextRetryAt = nextRetryAt
        self.waitingOn = waitingOn
    }
}

/// A row of the failed-record queue.
public struct FailedRecord: Sendable, Hashable {
    public var failure: RecordFailure
    /// How many times it failed (1 on first failure).
    public var attempts: Int
    public var firstFailedAt: Date
    public var updatedAt: Date

    public init(failure: RecordFailure, attempts: Int, firstFailedAt: Date, updatedAt: Date) {
        self.failure = failure
        self.attempts = attempts
        self.firstFailedAt = firstFailedAt
        self.updatedAt = updatedAt
    }
}
