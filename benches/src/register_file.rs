//! Writes a household register of N rows as a firm keeps it (XLSX, or CSV by the file's
//! extension), for the import benchmark: `register-file 100000 /tmp/households.xlsx`.
//! Buildings of 60 households in two units, rooms floor × 100 + door, an owner and a phone.

use api::platform::sheet::{self, Format};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: u32 = args.next().ok_or("usage: register-file N OUT")?.parse()?;
    let out = args.next().ok_or("usage: register-file N OUT")?;
    let format = if out.ends_with(".csv") {
        Format::Csv
    } else {
        Format::Xlsx
    };
    let surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵"];
    let given = ["建国", "秀英", "桂兰", "志强", "玉兰", "德明"];
    let mut rows = vec![
        ["楼栋", "单元", "房号", "专有面积（㎡）", "业主", "电话"]
            .iter()
            .map(|h| (*h).to_owned())
            .collect::<Vec<_>>(),
    ];
    for i in 0..n {
        let (building, j) = (i / 60 + 1, i % 60);
        let (unit, floor, door) = (j % 2 + 1, j / 10 + 1, (j / 2) % 5 + 1);
        let area = 4_500 + (i * 7_919) % 4_750;
        rows.push(vec![
            format!("{building}栋"),
            format!("{unit}单元"),
            format!("{floor}{door:02}"),
            format!("{}.{:02}", area / 100, area % 100),
            format!("{}{}", surnames[(i % 8) as usize], given[(i % 6) as usize]),
            format!("139{:08}", i),
        ]);
    }
    std::fs::write(&out, sheet::write(format, &rows)?)?;
    Ok(())
}
