import CrosswalkCore
import Foundation
import Testing
@testable import CrosswalkMapping

@Suite("Date functions")
struct DateTests {
    @Test func parsesTheFormatsAppsSend() throws {
        #expect(try MT.value(#"date("2026-11-30")"#) == "2026-11-30")
        #expect(try MT.value(#"date("11/30/2026")"#) == "2026-11-30")
        #expect(try MT.value(#"date("1/5/2026")"#) == "2026-01-05")
        #expect(try MT.value(#"datetime("2026-11-30T14:05:00.000+0000")"#) == "2026-11-30T14:05:00Z")
        #expect(try MT.value(#"datetime("2026-11-30T14:05:00+02:00")"#) == "2026-11-30T12:05:00Z")
        #expect(try MT.value(#"datetime("2026-11-30T23:30:00-05:00")"#) == "2026-12-01T04:30:00Z")
        #expect(try MT.value(#"datetime("2026-11-30 14:05:07.123456Z")"#) == "2026-11-30T14:05:07.123Z")
        #expect(try MT.value(#"datetime("2026-11-30T14:05")"#) == "2026-11-30T14:05:00Z")
        #expect(try MT.value(#"datetime("2026-11-30")"#) == "2026-11-30T00:00:00Z")
        #expect(try MT.value(#"datetime("11/30/2026 2:05 pm")"#) == "2026-11-30T14:05:00Z")
        #expect(try MT.value(#"datetime("11/30/2026 12:05 am")"#) == "2026-11-30T00:05:00Z")
        #expect(try MT.value(#"date("2026-11-30T23:30:00-05:00")"#) == "2026-12-01")
        #expect(try MT.value(#"date(2024, 2, 29)"#) == "2024-02-29")
        #expect(MT.evalError(#"date(2026, 2, 29)"#)?.code == .invalidValue)
        #expect(MT.evalError(#"date("2026-02-30")"#)?.message == #"date: "2026-02-30" is not a date (expected yyyy-MM-dd, RFC 3339 or MM/dd/yyyy)"#)
        #expect(MT.evalError(#"date("31/12/2026")"#)?.code == .invalidValue)
        #expect(MT.evalError(#"date("2026-11-30T25:00:00Z")"#)?.code == .invalidValue)
    }

    @Test func millisecondsForHubSpot() throws {
        #expect(try MT.value(#"to_millis("1970-01-02")"#) == 86_400_000)
        #expect(try MT.value(#"to_millis(date("2026-11-30T18:00:00Z"))"#) == 1_795_996_800_000)
        #expect(try MT.value(#"from_millis(1795996800000)"#) == "2026-11-30T00:00:00Z")
        #expect(try MT.value(#"date(1795996800000)"#) == "2026-11-30")
        #expect(try MT.value(#"to_millis("0001-01-01")"#) == MT.number("-62135596800000"))
        #expect(try MT.value(#"datetime(-1)"#) == "1969-12-31T23:59:59.999Z")
        #expect(MT.evalError(#"from_millis(1e20)"#)?.code == .invalidValue)
    }

    @Test func arithmeticAndParts() throws {
        #expect(try MT.value(#"add_days("2026-12-30", 3)"#) == "2027-01-02")
        #expect(try MT.value(#"add_days("2024-03-01", -1)"#) == "2024-02-29")
        #expect(try MT.value(#"add_days("2026-01-01T10:00:00Z", 1)"#) == "2026-01-02T10:00:00Z")
        #expect(try MT.value(#"days_between("2026-01-01", "2026-03-01")"#) == 59)
        #expect(try MT.value(#"days_between("2026-03-01T23:00:00Z", "2026-03-01T01:00:00Z")"#) == 0)
        #expect(try MT.value(#"year("2026-11-30") * 100 + month("2026-11-30")"#) == 202611)
        #expect(try MT.value(#"day("11/30/2026")"#) == 30)
    }

    @Test func formatAndParsePatterns() throws {
        let t = #""2026-03-05T14:07:09.045Z""#
        #expect(try MT.value("format_date(\(t), \"MM/dd/yyyy\")") == "03/05/2026")
        #expect(try MT.value("format_date(\(t), \"M/d/yy h:mm a\")") == "3/5/26 2:07 PM")
        #expect(try MT.value("format_date(\(t), \"yyyy-MM-dd'T'HH:mm:ss.SSS\")") == "2026-03-05T14:07:09.045")
        #expect(try MT.value("format_date(\(t), \"EEE, d MMM yyyy\")") == "Thu, 5 Mar 2026")
        #expect(try MT.value("format_date(\(t), \"EEEE MMMM\")") == "Thursday March")
        #expect(try MT.value("format_date(\(t), \"'o''clock' H\")") == "o'clock 14")
        #expect(MT.evalError("format_date(\(t), \"yyyy-QQ\")")?.message.contains("unknown letter \"Q\"") == true)
        #expect(try MT.value(#"parse_date("30.11.2026", "dd.MM.yyyy")"#) == "2026-11-30")
        #expect(try MT.value(#"parse_date("Nov 30, 2026 2:05 PM", "MMM d, yyyy h:mm a")"#) == "2026-11-30T14:05:00Z")
        #expect(try MT.value(#"parse_date("2026-11-30 14:05:06.7", "yyyy-MM-dd HH:mm:ss.S")"#) == "2026-11-30T14:05:06.700Z")
        #expect(MT.evalError(#"parse_date("2026-13-01", "yyyy-MM-dd")"#)?.code == .invalidValue)
        #expect(MT.evalError(#"parse_date("2026-11-01x", "yyyy-MM-dd")"#)?.code == .invalidValue)
    }

    @Test func theRunTimeIsTheOnlyClock() throws {
        let env = EvaluationEnvironment(runTime: Date(timeIntervalSince1970: 1_795_996_800.5))
        #expect(try MT.value("run_time()", environment: env) == "2026-11-30T00:00:00.500Z")
        #expect(try MT.value("today()", environment: env) == "2026-11-30")
        #expect(try MT.value("days_between(Created, today())", ["Created": "2026-11-01"], environment: env) == 29)
        #expect(MT.evalError("today()")?.code == .noRunTime)
        // Not folded at compile time: two environments, two answers.
        let program = try MappingProgram.compile("x = today()")
        #expect(try program.evaluate(record: [:], environment: EvaluationEnvironment(runTime: Date(timeIntervalSince1970: 0))).fields["x"] == "1970-01-01")
    }

    @Test func civilArithmeticRoundTrips() {
        for ms in stride(from: CivilTime.minMillis, through: CivilTime.maxMillis, by: 86_400_000 * 997 + 12_345) {
            let t = CivilTime(millis: ms)
            #expect(t.isValid)
            #expect(t.millis == ms)
        }
    }
}
