import Mustache

/// The dashboard's mustache templates, compiled into the binary (a copied `crosswalk` needs no
/// template files beside it). Every `{{value}}` is HTML-escaped by mustache; only the page body
/// (rendered from these templates) and the chart's SVG (``SyncChart``, which escapes its own text)
/// go in unescaped with `{{{…}}}`. No JavaScript: every action is a POST form carrying the
/// session's CSRF token.
enum DashboardTemplates {
    /// The templates by name, parsed once.
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in sources {
            do { try library.register(text, named: name) } catch { fatalError("dashboard template \(name) does not parse: \(error)") }
        }
        return library
    }()

    static let sources: [String: String] = [
        "layout": layout, "login": login, "toggle": toggle, "flows": flows, "flow": flow, "log": log, "failed": failed,
        "connections": connections, "idmap": idmap, "error": error,
    ]

    static let style = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#202124;background:#ffffff}
        header{background:#263238;color:#fff;padding:10px 20px;display:flex;align-items:center;gap:18px}
        header a{color:#e8eaed;text-decoration:none;font-weight:500}header a.current{color:#fff;border-bottom:2px solid #8ab4f8}
        header .brand{font-weight:700;color:#fff;margin-right:10px}header form{margin-left:auto}
        main{padding:16px 20px;max-width:1200px}h1{font-size:20px;margin:4px 0 12px}h2{font-size:16px;margin:22px 0 8px}
        table{border-collapse:collapse;width:100%;margin:6px 0}th,td{border-bottom:1px solid #e0e0e0;padding:6px 8px;text-align:left;vertical-align:top}
        th{background:#f5f5f5;font-weight:600}.muted{color:#5f6368;font-size:12px}.mono{font-family:ui-monospace,monospace;font-size:12px}
        button{font:inherit;cursor:pointer;border:1px solid #bbb;border-radius:4px;background:#f8f9fa;padding:3px 10px}
        button.toggle{min-width:64px;color:#fff;font-weight:700;border:none;padding:5px 12px;border-radius:14px}
        button.toggle.on{background:#1a73e8}button.toggle.off{background:#9aa0a6}
        button.retry{background:#fef7e0;border-color:#f9ab00}button.danger{background:#fce8e6;border-color:#d93025}
        .status{font-weight:600}.status.succeeded,.outcome.ok,.health.ok{color:#188038}.status.failed,.outcome.failed,.health.failed{color:#d93025}
        .status.running{color:#1a73e8}.outcome.skipped{color:#5f6368}.health.unknown{color:#5f6368}
        .notice{background:#e8f0fe;border:1px solid #aecbfa;padding:8px 12px;border-radius:4px}.problem{color:#d93025}
        form.inline{display:inline;margin:0}.filters{margin:8px 0}.filters label{margin-right:12px}
        input,select{font:inherit;padding:3px 6px}.chart{border:1px solid #e0e0e0;padding:8px;display:inline-block;background:#fff}
        .login{max-width:420px;margin:80px auto;padding:24px;border:1px solid #dadce0;border-radius:8px}
        .login input[type=password]{width:100%;box-sizing:border-box;margin:8px 0 12px}
        """

    static let layout = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · Crosswalk</title><style>{{{style}}}</style></head>
        <body class="page-{{page}}">
        <header><span class="brand">Crosswalk</span>
        {{#nav}}<a href="{{href}}" class="{{#current}}current{{/current}}">{{label}}</a>{{/nav}}
        <form method="post" action="/dashboard/logout" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" id="logout">Log out</button></form>
        </header>
        <main>
        {{#notice}}<p class="notice" id="notice" role="status">{{notice}}</p>{{/notice}}
        {{{body}}}
        </main></body></html>
        """

    static let login = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Log in · Crosswalk</title><style>{{{style}}}</style></head>
        <body class="page-login"><div class="login">
        <h1>Crosswalk dashboard</h1>
        {{#message}}<p class="problem" id="login-error">{{message}}</p>{{/message}}
        <form method="post" action="/dashboard/login">
        <input type="hidden" name="login_csrf" value="{{loginCSRF}}">
        <input type="hidden" name="next" value="{{next}}">
        <label for="token">Admin token (<span class="mono">service.admin_token</span>)</label>
        <input type="password" id="token" name="token" autocomplete="off" required autofocus>
        <button type="submit" id="login">Log in</button>
        </form>
        <p class="muted">The token is checked once; the browser then holds a session cookie (HttpOnly, SameSite=Strict) that expires after {{hours}} h.</p>
        </div></body></html>
        """

    /// One flow's on/off button: a POST form to enable or disable it.
    static let toggle = """
        <form method="post" action="{{toggleAction}}" class="inline toggle-form"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="back" value="{{back}}"><button type="submit" class="toggle {{#enabled}}on{{/enabled}}{{^enabled}}off{{/enabled}}" id="toggle-{{name}}" data-flow="{{name}}" aria-pressed="{{#enabled}}true{{/enabled}}{{^enabled}}false{{/enabled}}" title="{{#enabled}}On: click to turn off{{/enabled}}{{^enabled}}Off: click to turn on{{/enabled}}">{{#enabled}}On{{/enabled}}{{^enabled}}Off{{/enabled}}</button></form>
        """

    static let flows = """
        <h1>Flows</h1>
        {{#problems}}<p class="problem">{{.}}</p>{{/problems}}
        <table class="flows" id="flows"><thead><tr><th>Flow</th><th>Route</th><th>Schedule</th><th>On/off</th><th>Last run</th><th>Failed records</th></tr></thead><tbody>
        {{#flows}}<tr id="flow-{{name}}" data-enabled="{{#enabled}}true{{/enabled}}{{^enabled}}false{{/enabled}}">
        <td><a href="{{href}}">{{name}}</a>{{#description}}<div class="muted">{{description}}</div>{{/description}}</td>
        <td>{{route}}</td><td>{{schedule}}{{#running}} <span class="status running">running</span>{{/running}}</td>
        <td>{{> toggle}}</td>
        <td>{{#lastRun}}<span class="status {{status}}">{{status}}</span> <span class="muted">{{startedAt}}</span><div class="muted">{{summary}}</div>{{/lastRun}}{{^lastRun}}<span class="muted">never run</span>{{/lastRun}}</td>
        <td><a href="{{failedHref}}" class="failed-count">{{failedCount}}</a></td></tr>{{/flows}}
        {{^flows}}<tr><td colspan="6" class="muted">No flows are configured.</td></tr>{{/flows}}
        </tbody></table>
        <h2>Records synced and failed per hour</h2>
        <div class="chart" id="chart">{{{chart}}}</div>
        """

    static let runsTable = """
        <table class="runs" id="runs"><thead><tr><th>Run</th><th>Trigger</th><th>Status</th><th>Started</th><th>Finished</th><th>Created</th><th>Updated</th><th>Deleted</th><th>Skipped</th><th>Failed</th></tr></thead><tbody>
        {{#runs}}<tr><td><a href="/dashboard/log?run={{id}}">{{id}}</a></td><td>{{trigger}}</td><td><span class="status {{status}}">{{status}}</span></td><td>{{startedAt}}</td><td>{{finishedAt}}</td>
        <td>{{created}}</td><td>{{updated}}</td><td>{{deleted}}</td><td>{{skipped}}</td><td>{{failed}}</td></tr>{{/runs}}
        {{^runs}}<tr><td colspan="10" class="muted">No runs yet.</td></tr>{{/runs}}
        </tbody></table>
        """

    static let logTable = """
        <table class="log" id="log"><thead><tr><th>At</th><th>Flow</th><th>Run</th><th>Source record</th><th>Action</th><th>Outcome</th><th>Reason</th><th>Target record</th></tr></thead><tbody>
        {{#entries}}<tr class="entry {{outcome}}"><td>{{at}}</td><td>{{flow}}</td><td>{{run}}</td><td class="mono">{{source}}</td><td>{{action}}</td><td><span class="outcome {{outcome}}">{{outcome}}</span></td><td>{{reason}}</td><td class="mono">{{target}}</td></tr>{{/entries}}
        {{^entries}}<tr><td colspan="8" class="muted">Nothing in the sync log.</td></tr>{{/entries}}
        </tbody></table>
        """

    static let flow = """
        {{#flow}}<h1>{{name}} {{> toggle}}</h1>
        {{#description}}<p>{{description}}</p>{{/description}}
        <table class="facts"><tbody>
        <tr><th>Source</th><td>{{source}}</td></tr><tr><th>Targets</th><td>{{#targets}}<div>{{.}}</div>{{/targets}}</td></tr>
        <tr><th>Direction</th><td>{{direction}}</td></tr><tr><th>Schedule</th><td>{{schedule}}</td></tr>
        <tr><th>On/off set by</th><td>{{enabledBy}}</td></tr><tr><th>Next run</th><td>{{nextRun}}</td></tr>
        <tr><th>Failed records</th><td><a href="{{failedHref}}">{{failedCount}}</a></td></tr>
        </tbody></table>
        <p><form method="post" action="{{runAction}}" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="back" value="{{back}}"><button type="submit" id="run-now">Run now</button></form>
        <form method="post" action="{{retryAllAction}}" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="back" value="{{back}}"><button type="submit" class="retry" id="retry-all-{{name}}">Retry all failed</button></form></p>{{/flow}}
        <h2>Records synced and failed per hour</h2>
        <div class="chart" id="chart">{{{chart}}}</div>
        <h2>Runs</h2>
        """ + runsTable + """
        <h2>Sync log (latest {{logLimit}})</h2>
        """ + logTable

    static let log = """
        <h1>Sync log</h1>
        <form method="get" action="/dashboard/log" class="filters">
        <label>Flow <select name="flow"><option value="">all flows</option>{{#flowOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/flowOptions}}</select></label>
        <label>Outcome <select name="outcome">{{#outcomeOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/outcomeOptions}}</select></label>
        {{#run}}<input type="hidden" name="run" value="{{run}}"><span class="muted">run {{run}}</span>{{/run}}
        <button type="submit">Show</button></form>
        <p class="muted">{{summary}}</p>
        """ + logTable

    static let failed = """
        <h1>Failed records</h1>
        {{#groups}}<h2 id="failed-{{flow}}">{{flow}} <span class="muted">({{count}})</span>
        {{#hasRecords}}<form method="post" action="{{retryAllAction}}" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="back" value="{{back}}"><button type="submit" class="retry" id="retry-all-{{flow}}">Retry all</button></form>{{/hasRecords}}</h2>
        <table class="failed"><thead><tr><th>Source record</th><th>Error</th><th>Attempts</th><th>First failed</th><th>Next retry</th><th></th></tr></thead><tbody>
        {{#records}}<tr class="failed-record" id="failed-{{flow}}-{{id}}" data-record="{{id}}"><td class="mono">{{source}}{{#waitingOn}}<div class="muted">waiting on {{waitingOn}}</div>{{/waitingOn}}</td>
        <td><span class="mono">{{code}}</span> {{message}}</td><td>{{attempts}}</td><td>{{firstFailedAt}}</td><td>{{nextRetryAt}}</td>
        <td><form method="post" action="{{retryAction}}" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="back" value="{{back}}"><button type="submit" class="retry" id="retry-{{id}}" data-record="{{id}}">Retry</button></form></td></tr>{{/records}}
        {{^records}}<tr><td colspan="6" class="muted">No failed records.</td></tr>{{/records}}
        </tbody></table>{{/groups}}
        {{^groups}}<p class="muted">No flows.</p>{{/groups}}
        """

    static let connections = """
        <h1>Connections</h1>
        <table class="connections" id="connections"><thead><tr><th>Connection</th><th>Connector</th><th>Credentials</th><th>Health</th><th>Rate-limit headroom</th><th></th></tr></thead><tbody>
        {{#connections}}<tr id="connection-{{name}}"><td>{{name}}</td><td class="mono">{{connector}}</td><td>{{credentials}}</td>
        <td><span class="health {{healthClass}}">{{health}}</span>{{#healthDetail}}<div class="muted">{{healthDetail}}</div>{{/healthDetail}}</td>
        <td>{{rateLimit}}</td>
        <td><form method="post" action="{{testAction}}" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="back" value="/dashboard/connections"><button type="submit" id="test-{{name}}">Test</button></form></td></tr>{{/connections}}
        {{^connections}}<tr><td colspan="6" class="muted">No connections are configured.</td></tr>{{/connections}}
        </tbody></table>
        {{#leases}}<h2>Leases</h2>
        {{#shared}}<p class="muted">This host is <span class="mono" id="lease-holder">{{holder}}</span>; hosts sharing the store split the flows by these leases.</p>
        <table class="leases" id="leases"><thead><tr><th>Lease</th><th>Holder</th><th>Fencing token</th><th>Expires</th></tr></thead><tbody>
        {{#rows}}<tr id="lease-{{name}}"><td class="mono">{{name}}</td><td class="mono">{{holder}}{{#mine}} <strong>(this host)</strong>{{/mine}}</td><td>{{token}}</td><td>{{expires}}</td></tr>{{/rows}}
        {{^rows}}<tr><td colspan="4" class="muted">No leases yet.</td></tr>{{/rows}}
        </tbody></table>{{/shared}}
        {{^shared}}<p class="muted" id="leases-single">One host (SQLite store): this host runs every flow; no leases.</p>{{/shared}}{{/leases}}
        """

    static let idmap = """
        <h1>ID map</h1>
        <form method="get" action="/dashboard/idmap" class="filters">
        <label>Connection <select name="connection">{{#connectionOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/connectionOptions}}</select></label>
        <label>Object <input name="object" value="{{object}}" placeholder="Contact" required></label>
        <label>Record id <input name="id" value="{{id}}" required></label>
        <button type="submit" id="search">Find twins</button></form>
        {{#searched}}{{#twins}}<table class="twins" id="twins"><thead><tr><th>Link</th><th>Record</th><th>Twin</th><th>Updated</th></tr></thead><tbody>
        {{#items}}<tr><td class="mono">{{link}}</td><td class="mono">{{record}}</td><td class="mono">{{twin}}</td><td>{{updatedAt}}</td></tr>{{/items}}
        </tbody></table>{{/twins}}{{#missing}}<p class="muted" id="twins-missing">{{missing}}</p>{{/missing}}{{/searched}}
        """

    static let error = """
        <h1>{{heading}}</h1><p class="problem" id="error">{{message}}</p><p><a href="/dashboard">Back to the flows</a></p>
        """
}
