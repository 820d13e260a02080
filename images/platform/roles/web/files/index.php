<?php
// The example platform's application: a front controller for every path (see the nginx site).
//   GET /        200 "shakedown example platform <version> on <hostname>"
//   GET /health  200 "ok" when the database answers, else 503
//   POST /notes  body = note text; 201 {"id": N}
//   GET /notes   200 [{"id", "body", "created_at"}, ...] oldest first
declare(strict_types=1);

function reply(int $status, string $body, string $type = 'text/plain; charset=utf-8'): never
{
    http_response_code($status);
    header("Content-Type: $type");
    echo $body;
    exit;
}

function json_reply(int $status, mixed $data): never
{
    reply($status, json_encode($data, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE) . "\n", 'application/json');
}

// A connection, or null when the database cannot be reached (the caller answers 503).
function db(array $cfg)
{
    $q = fn ($v) => "'" . addcslashes((string) $v, "'\\") . "'";
    $c = $cfg['database'];
    $conn = @pg_connect(sprintf('host=%s dbname=%s user=%s password=%s connect_timeout=2',
        $q($c['host']), $q($c['name']), $q($c['user']), $q($c['password'])));
    return $conn ?: null;
}

$cfg = @parse_ini_file('/etc/platform/app.ini', true, INI_SCANNER_RAW);
if ($cfg === false) {
    reply(500, "configuration unreadable\n");
}
$method = $_SERVER['REQUEST_METHOD'] === 'HEAD' ? 'GET' : $_SERVER['REQUEST_METHOD'];
$route = $method . ' ' . parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);

switch ($route) {
    case 'GET /':
        reply(200, sprintf("shakedown example platform %s on %s\n", $cfg['app']['version'], gethostname()));

    case 'GET /health':
        $conn = db($cfg);
        if ($conn && @pg_query($conn, 'SELECT 1')) {
            reply(200, "ok\n");
        }
        reply(503, "database unavailable\n");

    case 'POST /notes':
        $body = file_get_contents('php://input');
        if (trim($body) === '') {
            reply(400, "empty note\n");
        }
        $conn = db($cfg) ?? reply(503, "database unavailable\n");
        $r = @pg_query_params($conn, 'INSERT INTO notes (body) VALUES ($1) RETURNING id', [$body]);
        $r || reply(503, "database error\n");
        $id = (int) pg_fetch_result($r, 0, 0);
        header("Location: /notes/$id");
        json_reply(201, ['id' => $id]);

    case 'GET /notes':
        $conn = db($cfg) ?? reply(503, "database unavailable\n");
        $r = @pg_query($conn, 'SELECT id, body, created_at FROM notes ORDER BY id');
        $r || reply(503, "database error\n");
        $notes = array_map(fn ($n) => ['id' => (int) $n['id']] + $n, pg_fetch_all($r));
        json_reply(200, $notes);
}

if (in_array(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH), ['/', '/health', '/notes'], true)) {
    header('Allow: ' . (str_ends_with($route, '/notes') ? 'GET, HEAD, POST' : 'GET, HEAD'));
    reply(405, "method not allowed\n");
}
reply(404, "not found\n");
