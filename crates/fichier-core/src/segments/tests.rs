//! The plan of a segmented download, without the network.

use super::*;

const MIB: u64 = 1 << 20;

#[test]
fn small_files_keep_one_connection() {
    assert_eq!(connections_for(3 * MIB, 3), 1);
    assert_eq!(connections_for(20 * MIB, 3), 2);
    assert_eq!(connections_for(1 << 30, 3), 3);
    assert_eq!(connections_for(1 << 30, 8), 8);
    assert_eq!(connections_for(1 << 30, 0), 1);
}

#[test]
fn a_plan_covers_the_file_after_what_is_already_there() {
    let segs = plan(100 * MIB, 10 * MIB);
    assert!(fits(&segs, 100 * MIB));
    // What is there, then 8 MiB pieces in file order (the last one shorter).
    assert_eq!(segs.len(), 1 + 12);
    assert_eq!(segs[0].done, 10 * MIB);
    assert_eq!(contiguous(&segs), 10 * MIB);
    assert!(
        segs[1..12]
            .iter()
            .all(|s| s.done == 0 && s.end - s.start == 8 * MIB)
    );
    assert_eq!(segs[12].end - segs[12].start, 2 * MIB);
    assert!(!fits(&segs, 101 * MIB));
    let mut gap = segs.clone();
    gap.remove(2);
    assert!(!fits(&gap, 100 * MIB));
    assert!(fits(&plan(5, 0), 5));
    // A huge file is cut in at most 256 pieces.
    assert!(plan(1 << 40, 0).len() <= 256);
}

#[test]
fn the_prefix_stops_at_the_first_unfinished_segment() {
    let mut segs = vec![
        Segment {
            start: 0,
            end: 30,
            done: 0,
        },
        Segment {
            start: 30,
            end: 60,
            done: 0,
        },
        Segment {
            start: 60,
            end: 90,
            done: 0,
        },
    ];
    segs[1].done = 30;
    segs[0].done = 12;
    assert_eq!(contiguous(&segs), 12);
    segs[0].done = 30;
    // Segment 1 is complete too, segment 2 has not started.
    assert_eq!(contiguous(&segs), 60);
    segs[2].done = 30;
    assert_eq!(contiguous(&segs), 90);
}

#[test]
fn a_free_connection_takes_half_of_the_largest_segment_left() {
    let mut p = Plan::new(vec![
        Segment {
            start: 0,
            end: 30 * MIB,
            done: 0,
        },
        Segment {
            start: 30 * MIB,
            end: 60 * MIB,
            done: 0,
        },
    ]);
    assert_eq!(p.take(), Some(0));
    assert_eq!(p.take(), Some(1));
    // Segment 0 nearly done, segment 1 barely started.
    p.claim(0, 29 * MIB);
    p.claim(1, 2 * MIB);
    p.segs[0].done = 30 * MIB;
    p.release(0);
    let new = p.take().expect("a split");
    assert_eq!(new, 2);
    // 28 MiB were left of segment 1: it keeps the first 14.
    assert_eq!(p.segs[1].end, 30 * MIB + 2 * MIB + 14 * MIB);
    assert_eq!(p.segs[2].start, p.segs[1].end);
    assert_eq!(p.segs[2].end, 60 * MIB);
    assert!(fits(&p.segs, 60 * MIB));
    // Bytes past the new end are refused to the old connection.
    let (at, take) = p.claim(1, 20 * MIB);
    assert_eq!((at, take), (32 * MIB, 14 * MIB));
    // Too little left to be worth another connection: nothing to take.
    p.claim(2, 14 * MIB - MIB);
    assert_eq!(p.take(), None);
}

#[test]
fn complete_neighbours_are_journaled_as_one() {
    let seg = |start, end, done| Segment { start, end, done };
    let segs = vec![
        seg(8, 16, 8),
        seg(0, 8, 8),
        seg(16, 24, 3),
        seg(24, 32, 8),
        seg(32, 40, 8),
    ];
    let merged = coalesce(segs.clone());
    assert_eq!(
        merged,
        vec![seg(0, 16, 16), seg(16, 24, 3), seg(24, 40, 16)]
    );
    assert_eq!(contiguous(&merged), contiguous(&segs));
    assert!(fits(&merged, 40));
}
