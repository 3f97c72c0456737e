#!/usr/bin/perl
# Writes a GeoLite2-ASN-like MaxMind DB from a CAIDA prefix2as file, for the lookup benchmark.
#
#   make_mmdb.pl PREFIX2AS_FILE OUT.mmdb
#
# Every line `prefix<TAB>length<TAB>origin` becomes one network whose record is
#   { autonomous_system_number => uint32, autonomous_system_organization => "AS<asn>" }
# with the first number of the origin field as the ASN (`asn1_asn2` multi-origin and
# `asn1,asn2` AS-set fields count as asn1), the same reading lookup_bench.cpp makes.
#
# The tree is IPv6 (ip_version 6, record_size 28, as GeoLite2-ASN ships); IPv4 networks are
# inserted in IPv4 notation, which the writer places at ::a.b.c.d/(96+len), and
# alias_ipv6_to_ipv4 makes ::ffff:0:0/96, 2001::/32 and 2002::/16 point there, as in MaxMind's
# own databases. Networks are inserted least specific first (by length in the 128-bit tree),
# so with merge_strategy none a more specific network overwrites its part of a covering one:
# the database answers longest-prefix match, exactly like kz::enrich::PrefixTable.
# remove_reserved_networks is off so no inserted network is silently dropped (the generator
# keeps away from reserved space anyway).
#
# Needs Debian's libmaxmind-db-writer-perl. Prints counts and timings on stderr.
use strict;
use warnings;

use MaxMind::DB::Writer::Tree;
use Time::HiRes qw(time);

die "usage: make_mmdb.pl PREFIX2AS_FILE OUT.mmdb\n" unless @ARGV == 2;
my ($in, $out) = @ARGV;

my $t0 = time;
# Networks bucketed by their length in the 128-bit tree, in file order within a length.
my @by_len = map { [] } 0 .. 128;
my ($v4, $v6, $skipped) = (0, 0, 0);
open my $fh, '<', $in or die "make_mmdb.pl: cannot read $in: $!\n";
while (my $line = <$fh>) {
    next if $line =~ /^\s*(?:#|$)/;
    my ($net, $len, $origin) = split /\t/, $line;
    my ($asn) = defined $origin ? $origin =~ /^\D*(\d+)/ : ();
    if (!defined $asn || !defined $len || $len !~ /^\d+$/ || $asn > 4294967295) {
        $skipped++;
        next;
    }
    if (index($net, ':') >= 0) {
        next if $len > 128;
        push @{ $by_len[$len] }, "$net/$len", $asn;
        $v6++;
    }
    else {
        next if $len > 32;
        push @{ $by_len[ 96 + $len ] }, "$net/$len", $asn;
        $v4++;
    }
}
close $fh;
printf STDERR "make_mmdb.pl: read %d IPv4 and %d IPv6 networks (%d lines skipped) in %.1f s\n",
    $v4, $v6, $skipped, time - $t0;

my %types = (
    autonomous_system_number       => 'uint32',
    autonomous_system_organization => 'utf8_string',
);
my $tree = MaxMind::DB::Writer::Tree->new(
    ip_version               => 6,
    record_size              => 28,
    database_type            => 'GeoLite2-ASN',
    languages                => ['en'],
    description              => { en => 'Kizuna lookup benchmark: synthetic prefix2as table' },
    map_key_type_callback    => sub { $types{ $_[0] } },
    merge_strategy           => 'none',
    alias_ipv6_to_ipv4       => 1,
    remove_reserved_networks => 0,
);

my $t1 = time;
my %record;    # one data hash per ASN; the writer stores each distinct record once
my $n = 0;
for my $len (0 .. 128) {
    my $list = $by_len[$len];
    for (my $i = 0; $i < @$list; $i += 2) {
        my $asn = $list->[ $i + 1 ];
        my $data = $record{$asn} //= {
            autonomous_system_number       => $asn,
            autonomous_system_organization => "AS$asn",
        };
        $tree->insert_network($list->[$i], $data);
        $n++;
    }
    $by_len[$len] = undef;
}
printf STDERR "make_mmdb.pl: inserted %d networks (%d distinct ASNs) in %.1f s\n",
    $n, scalar(keys %record), time - $t1;

my $t2 = time;
my $tmp = "$out.tmp";
open my $ofh, '>:raw', $tmp or die "make_mmdb.pl: cannot write $tmp: $!\n";
$tree->write_tree($ofh);
close $ofh or die "make_mmdb.pl: cannot write $tmp: $!\n";
rename $tmp, $out or die "make_mmdb.pl: cannot rename $tmp to $out: $!\n";
printf STDERR "make_mmdb.pl: wrote %s (%d bytes) in %.1f s; total %.1f s\n",
    $out, -s $out, time - $t2, time - $t0;
