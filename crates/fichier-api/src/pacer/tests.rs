use super::*;
use crate::clock::FakeClock;

fn pacer() -> (Pacer, FakeClock) {
    let clock = FakeClock::new();
    (
        Pacer::with_clock(PacerConfig::default(), Arc::new(clock.clone())),
        clock,
    )
}

#[tokio::test]
async fn calls_are_spaced_by_the_minimum_interval() {
    let (p, clock) = pacer();
    let t0 = clock.now();
    for _ in 0..5 {
        p.acquire(None).await.unwrap();
    }
    // 5 calls: the first at once, then 4 intervals.
    assert_eq!(clock.now() - t0, Duration::from_millis(2000));
    // Time passing between calls counts towards the interval.
    clock.advance(Duration::from_secs(10));
    let before = clock.now();
    p.acquire(None).await.unwrap();
    assert_eq!(clock.now(), before);
}

#[tokio::test]
async fn flood_holds_everyone_and_doubles_then_resets() {
    let (p, clock) = pacer();
    let mut rx = p.subscribe();
    p.acquire(None).await.unwrap();
    assert_eq!(p.on_flood(), Duration::from_secs(30));
    let t = clock.now();
    let other = p.clone();
    other.acquire(None).await.unwrap();
    assert_eq!(clock.now() - t, Duration::from_secs(30));
    assert_eq!(
        rx.try_recv().unwrap(),
        PacerEvent::Waiting {
            seconds: 30,
            reason: WaitReason::Flood
        }
    );
    assert_eq!(p.on_flood(), Duration::from_secs(60));
    assert_eq!(p.on_flood(), Duration::from_secs(120));
    for _ in 0..10 {
        p.on_flood();
    }
    assert_eq!(p.on_flood(), Duration::from_secs(300), "capped");
    p.on_success();
    assert_eq!(p.on_flood(), Duration::from_secs(30));
}

#[tokio::test]
async fn backoff_is_exponential_and_capped() {
    let (p, _clock) = pacer();
    let waits: Vec<u64> = (0..7)
        .map(|_| p.on_backoff(WaitReason::ServerError).as_secs())
        .collect();
    assert_eq!(waits, vec![2, 4, 8, 16, 32, 60, 60]);
    p.on_success();
    assert_eq!(p.on_backoff(WaitReason::ServerError).as_secs(), 2);
}

#[tokio::test]
async fn a_call_given_up_while_it_waits_gives_its_slot_back() {
    let p = Pacer::new(PacerConfig::default());
    let mut rx = p.subscribe();
    let rule = Rule::Listing("folder/ls.cgi", 3);
    p.acquire(Some(rule.clone())).await.unwrap();
    // Two callers in turn give up on the listing while the 30 s rule holds it back.
    for _ in 0..2 {
        let waited =
            tokio::time::timeout(Duration::from_millis(50), p.acquire(Some(rule.clone()))).await;
        assert!(waited.is_err(), "still waiting");
        let PacerEvent::Waiting { seconds, .. } = rx.recv().await.unwrap();
        // Had the first abandoned call kept its slot, the second would wait 61 s.
        assert!((29..=33).contains(&seconds), "waiting {seconds} s");
    }
}

#[tokio::test]
async fn per_endpoint_interval_waits_or_refuses() {
    let (p, clock) = pacer();
    let mut rx = p.subscribe();
    let rule = Rule::Listing("folder/ls.cgi", 7);
    p.acquire(Some(rule.clone())).await.unwrap();
    let t = clock.now();
    p.acquire(Some(rule.clone())).await.unwrap();
    assert_eq!(clock.now() - t, Duration::from_secs(31));
    let ev = rx.try_recv().unwrap();
    assert_eq!(
        ev.message(),
        "waiting 31 s: 1fichier allows one listing per folder every 30 s"
    );
    // Another folder is not held back by that rule.
    let t = clock.now();
    p.acquire(Some(Rule::Listing("folder/ls.cgi", 8)))
        .await
        .unwrap();
    assert_eq!(clock.now() - t, Duration::from_millis(500));

    p.acquire(Some(Rule::AllFiles)).await.unwrap();
    let e = p.acquire(Some(Rule::AllFiles)).await.unwrap_err();
    assert_eq!(e.code(), "flood");
    assert!(e.retry_after().unwrap() > Duration::from_secs(3000));
}
