@testable import TrailExplain
import TrailModel
import XCTest

/// The rule list itself: every catalog code has exactly one rule that produces it, and that rule's code is the one
/// its diagnoses carry.
final class DiagnosisRuleTests: XCTestCase {
    /// `unexplained` is what explain says when no rule applies; every other code comes from exactly one rule
    /// (a primary rule or a contributing one), so that what ends an episode of it is declared once, in that rule.
    func testEveryCatalogCodeIsProducedByExactlyOneRule() {
        let produced = Explainer.rules.map(\.code) + Explainer.contributingRules.map(\.code)
        var count: [DiagnosisCode: Int] = [:]
        for code in produced { count[code, default: 0] += 1 }
        for code in DiagnosisCode.allCases where code != .unexplained {
            XCTAssertEqual(count[code] ?? 0, 1, "\(code.rawValue) should be produced by exactly one rule")
        }
        XCTAssertNil(count[.unexplained], "no rule produces unexplained: it is what explain says when none applies")
    }

    /// Only role assignment changes take a while to apply: no other strategy has a propagation window, and a rule
    /// whose episodes end when its failures stop never counts failures "inside the propagation window".
    func testOnlyRoleAssignmentStrategiesHaveAPropagationWindow() {
        for rule in Explainer.rules {
            switch rule.resolution {
            case .grantingRoleAssignment, .grantTookEffect:
                XCTAssertTrue(rule.resolution.hasPropagationWindow, rule.code.rawValue)
            default:
                XCTAssertFalse(rule.resolution.hasPropagationWindow, rule.code.rawValue)
                XCTAssertNotEqual(rule.resolution.laterFailure, .insidePropagationWindowBelongs, rule.code.rawValue)
            }
        }
    }
}
