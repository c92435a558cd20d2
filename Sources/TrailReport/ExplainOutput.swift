import TrailExplain
import TrailModel

/// `mitrail explain`: one explanation rendered as text (lnav-style, `ExplainOutput+Text`), JSON (the output
/// contract, `ExplainOutput+JSON`) or Markdown (`ExplainOutput+Markdown`).
public enum ExplainOutput {}
