# Converges this server to its role. Shakedown runs `puppet apply` as root on the server itself, both
# when it bakes a role image and on a live server over SSH; the command in shakedown.yml passes the
# role, version, defects and the version's variables as facts, so $role, $version, $defects and
# $log_level are top-scope variables here and cannot be assigned again.
$defect_names = split("${facts['defects']}", ',')
$config_mode = ('config-world-readable' in $defect_names) ? {
  true    => '0644',   # the example defect (defects.json)
  default => '0640',
}

file { '/etc/{{name}}':
  ensure => directory,
  owner  => 'root',
  group  => 'root',
  mode   => '0755',
}

file { '/etc/{{name}}/{{name}}.conf':
  ensure  => file,
  owner   => 'root',
  group   => 'root',
  mode    => $config_mode,
  content => "role = ${facts['role']}\nversion = ${facts['version']}\nlog_level = ${facts['log_level']}\n",
}

# Your application's packages, services and files go here, e.g. in `if $facts['role'] == 'app' { ... }`.
