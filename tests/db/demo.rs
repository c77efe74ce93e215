//! The demo must reproduce the published figures of the reference report (see
//! shared/spec/maatwerkbudget-2021.md); the expected numbers below are the spec's.

use crate::on_both;
use peiling::bundled::MAATWERKBUDGET_2021;
use peiling::report::figures::Figure;
use peiling::report::{ReportDefinition, stats, text_table};

fn percents(figure: &Figure) -> Vec<i64> {
    figure.bars.iter().map(|b| b.percent).collect()
}

#[tokio::test]
async fn the_demo_reproduces_every_published_figure() {
    on_both!("the_demo_reproduces_every_published_figure", |db| {
        let (survey, _, printed) = peiling::demo::run_on(
            &db,
            &MAATWERKBUDGET_2021,
            &peiling::mail::transport::Memory::default(),
            "http://peiling.test",
        )
        .await
        .unwrap();

        let groups = stats::response_per_group(&db, survey.row.id).await.unwrap();
        let per_group: Vec<(&str, u64, u64)> =
            groups.iter().map(|g| (g.code.as_str(), g.invited, g.responded)).collect();
        assert_eq!(per_group, [("SWT", 75, 37), ("JLR", 68, 17)]);

        let report = ReportDefinition::parse(MAATWERKBUDGET_2021.report, &survey.questionnaire).unwrap();
        let counts = stats::count(&db, survey.row.id, None).await.unwrap();
        assert_eq!(counts.responses, 54);
        let figures = text_table::figures(&report, &survey.questionnaire, &counts);
        assert_eq!(figures.len(), 9);
        let f = |n: usize| &figures[n - 1].1;
        let caption = |n: usize| figures[n - 1].0.as_str();

        // Figure 1: the print says 19/58/25; no whole count of 54 gives 58%, so the data give 57/24.
        assert_eq!((f(1).base, percents(f(1))), (54, vec![19, 57, 24]));
        let (all, given) = (f(1).mean_all.unwrap(), f(1).mean_given.unwrap());
        assert_eq!((all.round(), given.round()), (3.0, 4.0), "means about 3 and about 4");
        // Figure 2: (zeer) positief 73, neutraal 23, (zeer) negatief 5.
        let bars = &f(2).bars;
        assert_eq!(f(2).base, 44);
        assert_eq!(peiling::report::figures::percent(bars[0].count + bars[1].count, 44), 73);
        assert_eq!(bars[2].percent, 23);
        assert_eq!(peiling::report::figures::percent(bars[3].count + bars[4].count, 44), 5);
        assert_eq!((f(3).base, f(3).dont_know, percents(f(3))), (41, 13, vec![63, 37]));
        assert_eq!((f(4).base, percents(f(4))), (20, vec![75, 50, 25, 40]));
        assert_eq!((f(5).base, percents(f(5))), (15, vec![67, 27, 13]));
        assert_eq!((f(6).base, f(6).bars[0].percent), (44, 5));
        assert_eq!((f(7).base, percents(f(7))), (54, vec![81, 65, 33, 28]));
        assert_eq!((f(8).base, f(8).bars[0].percent), (54, 37));
        assert_eq!((f(9).base, percents(f(9))), (20, vec![40, 35, 30, 15, 10, 50]));

        assert_eq!(
            caption(4),
            "Figuur 4. Wat is hiervoor nodig? (% van de 20 respondenten die een antwoord weten op deze vraag; meerdere antwoorden mogelijk)"
        );
        assert_eq!(
            caption(7),
            "Figuur 7. Als je ervoor kiest om het maatwerkbudget niet in te zetten, wat is dan een andere voorziening waar de cliënt gebruik van kan maken? (% van alle 54 respondenten; meerdere antwoorden mogelijk)"
        );
        assert!(printed.contains(caption(9)));

        // 35 answers to the closing question, 13 casussen.
        assert_eq!(counts.question("Q13").answered, 35);
        assert_eq!(counts.question("Q12").answered, 13);
    });
}
