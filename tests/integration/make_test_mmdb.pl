#!/usr/bin/perl
# Writes a small MaxMind DB (GeoLite2-ASN and -Country fields together) for the tests.
# Usage: make_test_mmdb.pl OUT.mmdb
use strict;
use warnings;
use MaxMind::DB::Writer::Tree;

my %types = (
    autonomous_system_number       => 'uint32',
    autonomous_system_organization => 'utf8_string',
    country                        => 'map',
    iso_code                       => 'utf8_string',
);
my $tree = MaxMind::DB::Writer::Tree->new(
    ip_version               => 6,
    record_size              => 24,
    database_type            => 'Kizuna-Test',
    languages                => ['en'],
    description              => { en => 'Kizuna test database' },
    map_key_type_callback    => sub { $types{ $_[0] } },
    alias_ipv6_to_ipv4       => 1,
    remove_reserved_networks => 0,
);
$tree->insert_network('198.51.100.0/24', { autonomous_system_number => 64600,
    autonomous_system_organization => 'MMDB Example Net', country => { iso_code => 'NL' } });
$tree->insert_network('203.0.113.0/24', { autonomous_system_number => 64999,
    autonomous_system_organization => 'Should Not Win', country => { iso_code => 'FR' } });
open my $fh, '>:raw', $ARGV[0] or die "cannot write $ARGV[0]: $!";
$tree->write_tree($fh);
close $fh;
