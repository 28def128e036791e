//! Name lists, with frequencies, and the nickname table.
//!
//! Weights are approximate occurrences per 100,000 people, written from
//! general knowledge of the US Census Bureau's published name frequencies
//! (1990 first names, 2010 surnames), with first names popular among people
//! born after 1990 added so that every birth cohort looks plausible. They
//! are not the Census figures and should not be used as such; they only make
//! common names common and rare names rare, which is what blocking and
//! matching experiments need.

use super::rng::Rng;

/// A name list with weights, sampled in proportion to weight.
#[derive(Debug)]
pub(crate) struct Weighted {
    names: &'static [(&'static str, u32)],
    cumulative: Vec<u64>,
}

impl Weighted {
    /// Prepares `names` for sampling.
    pub(crate) fn new(names: &'static [(&'static str, u32)]) -> Self {
        let cumulative = names
            .iter()
            .scan(0u64, |total, &(_, w)| {
                *total += u64::from(w);
                Some(*total)
            })
            .collect();
        Weighted { names, cumulative }
    }

    /// One name, drawn in proportion to its weight.
    pub(crate) fn sample(&self, rng: &mut Rng) -> &'static str {
        let total = self.cumulative.last().copied().unwrap_or(0);
        let r = rng.below(total);
        let i = self.cumulative.partition_point(|&c| c <= r);
        self.names[i].0
    }
}

/// Common nicknames of formal given names. A nickname on a duplicate is the
/// most frequent real-world reason two records of one person disagree on
/// first name.
pub(crate) const NICKNAMES: &[(&str, &[&str])] = &[
    ("Robert", &["Bob", "Rob", "Bobby"]),
    ("William", &["Bill", "Will", "Billy"]),
    ("James", &["Jim", "Jimmy", "Jamie"]),
    ("John", &["Jack", "Johnny"]),
    ("Michael", &["Mike", "Mikey"]),
    ("Richard", &["Rick", "Dick", "Rich"]),
    ("Charles", &["Charlie", "Chuck"]),
    ("Joseph", &["Joe", "Joey"]),
    ("Thomas", &["Tom", "Tommy"]),
    ("Christopher", &["Chris"]),
    ("Daniel", &["Dan", "Danny"]),
    ("Matthew", &["Matt"]),
    ("Anthony", &["Tony"]),
    ("Donald", &["Don", "Donnie"]),
    ("Steven", &["Steve"]),
    ("Stephen", &["Steve"]),
    ("Andrew", &["Andy", "Drew"]),
    ("Joshua", &["Josh"]),
    ("Kenneth", &["Ken", "Kenny"]),
    ("Edward", &["Ed", "Eddie", "Ted"]),
    ("Ronald", &["Ron", "Ronnie"]),
    ("Timothy", &["Tim"]),
    ("Jeffrey", &["Jeff"]),
    ("Nicholas", &["Nick"]),
    ("Benjamin", &["Ben"]),
    ("Samuel", &["Sam"]),
    ("Gregory", &["Greg"]),
    ("Alexander", &["Alex"]),
    ("Patrick", &["Pat"]),
    ("Jonathan", &["Jon"]),
    ("Theodore", &["Ted", "Teddy"]),
    ("Lawrence", &["Larry"]),
    ("Raymond", &["Ray"]),
    ("Gerald", &["Jerry"]),
    ("Douglas", &["Doug"]),
    ("Frederick", &["Fred"]),
    ("Elizabeth", &["Liz", "Beth", "Betty", "Lizzie"]),
    ("Margaret", &["Peggy", "Maggie", "Meg"]),
    ("Katherine", &["Kate", "Kathy", "Katie"]),
    ("Catherine", &["Cathy", "Kate"]),
    ("Jennifer", &["Jen", "Jenny"]),
    ("Patricia", &["Pat", "Patty", "Trish"]),
    ("Susan", &["Sue", "Susie"]),
    ("Deborah", &["Debbie", "Deb"]),
    ("Rebecca", &["Becky"]),
    ("Jessica", &["Jess"]),
    ("Kimberly", &["Kim"]),
    ("Barbara", &["Barb"]),
    ("Dorothy", &["Dot", "Dottie"]),
    ("Cynthia", &["Cindy"]),
    ("Pamela", &["Pam"]),
    ("Victoria", &["Vicky", "Tori"]),
    ("Samantha", &["Sam"]),
    ("Christine", &["Chris", "Chrissy"]),
    ("Alexandra", &["Alex"]),
    ("Abigail", &["Abby"]),
    ("Jacqueline", &["Jackie"]),
    ("Judith", &["Judy"]),
];

/// The nicknames of `formal`, if it has any.
pub(crate) fn nicknames(formal: &str) -> Option<&'static [&'static str]> {
    NICKNAMES
        .iter()
        .find(|(f, _)| *f == formal)
        .map(|(_, n)| *n)
}

/// Generational suffixes, with weights.
pub(crate) const SUFFIXES: &[(&str, u32)] =
    &[("Jr", 60), ("Sr", 15), ("II", 8), ("III", 12), ("IV", 5)];

/// Given names of male persons.
// A grid keeps these tables readable; one entry per line would be
// a thousand lines of names.
#[rustfmt::skip]
pub(crate) const MALE_FIRST: &[(&str, u32)] = &[
    ("James", 3318), ("John", 3271), ("Robert", 3143), ("Michael", 2629), ("William", 2451),
    ("David", 2363), ("Richard", 1703), ("Charles", 1523), ("Joseph", 1404), ("Thomas", 1380),
    ("Christopher", 1035), ("Daniel", 974), ("Paul", 948), ("Mark", 938), ("Donald", 931),
    ("George", 927), ("Kenneth", 826), ("Steven", 780), ("Edward", 779), ("Brian", 736),
    ("Ronald", 725), ("Anthony", 721), ("Kevin", 671), ("Jason", 660), ("Matthew", 657),
    ("Gary", 650), ("Timothy", 640), ("Jose", 613), ("Larry", 598), ("Jeffrey", 591),
    ("Frank", 581), ("Scott", 546), ("Eric", 544), ("Stephen", 540), ("Andrew", 537),
    ("Raymond", 488), ("Gregory", 441), ("Joshua", 435), ("Jerry", 432), ("Dennis", 415),
    ("Walter", 399), ("Patrick", 389), ("Peter", 381), ("Harold", 371), ("Douglas", 367),
    ("Henry", 365), ("Carl", 346), ("Arthur", 335), ("Ryan", 328), ("Roger", 322), ("Joe", 321),
    ("Juan", 316), ("Jack", 315), ("Albert", 314), ("Jonathan", 313), ("Justin", 311),
    ("Terry", 311), ("Gerald", 309), ("Keith", 308), ("Samuel", 306), ("Willie", 302),
    ("Ralph", 282), ("Lawrence", 282), ("Nicholas", 275), ("Roy", 273), ("Benjamin", 270),
    ("Bruce", 263), ("Brandon", 260), ("Adam", 259), ("Harry", 251), ("Fred", 251), ("Wayne", 249),
    ("Billy", 248), ("Steve", 246), ("Louis", 243), ("Jeremy", 242), ("Aaron", 240),
    ("Randy", 232), ("Howard", 230), ("Eugene", 230), ("Carlos", 229), ("Russell", 224),
    ("Bobby", 223), ("Victor", 222), ("Martin", 216), ("Ernest", 215), ("Phillip", 213),
    ("Todd", 213), ("Jesse", 209), ("Craig", 206), ("Alan", 204), ("Shawn", 200),
    ("Clarence", 197), ("Sean", 197), ("Philip", 197), ("Chris", 194), ("Johnny", 195),
    ("Earl", 193), ("Jimmy", 191), ("Antonio", 190), ("Danny", 190), ("Bryan", 190), ("Tony", 190),
    ("Luis", 187), ("Mike", 187), ("Stanley", 186), ("Leonard", 186), ("Nathan", 185),
    ("Dale", 184), ("Manuel", 181), ("Rodney", 180), ("Curtis", 180), ("Norman", 177),
    ("Allen", 174), ("Marvin", 171), ("Vincent", 168), ("Glenn", 168), ("Jeffery", 166),
    ("Travis", 166), ("Jeff", 166), ("Chad", 165), ("Jacob", 165), ("Lee", 162), ("Melvin", 162),
    ("Alfred", 162), ("Kyle", 160), ("Francis", 160), ("Bradley", 159), ("Jesus", 155),
    ("Herbert", 155), ("Frederick", 154), ("Ray", 154), ("Joel", 152), ("Edwin", 148),
    ("Don", 145), ("Eddie", 144), ("Ricky", 141), ("Troy", 138), ("Randall", 138), ("Barry", 134),
    ("Alexander", 132), ("Bernard", 127), ("Mario", 125), ("Leroy", 125), ("Francisco", 124),
    ("Marcus", 124), ("Micheal", 123), ("Theodore", 123), ("Clifford", 120), ("Miguel", 120),
    ("Oscar", 116), ("Jay", 116), ("Jim", 116), ("Tom", 116), ("Calvin", 115), ("Alex", 115),
    ("Jon", 115), ("Ronnie", 113), ("Bill", 112), ("Lloyd", 112), ("Tommy", 112), ("Leon", 112),
    ("Derek", 112), ("Warren", 110), ("Darrell", 108), ("Jerome", 108), ("Floyd", 107),
    ("Leo", 106), ("Alvin", 105), ("Tim", 105), ("Wesley", 104), ("Gordon", 104), ("Dean", 104),
    ("Greg", 104), ("Jorge", 104), ("Dustin", 103), ("Pedro", 103), ("Derrick", 103), ("Dan", 101),
    ("Lewis", 101), ("Zachary", 101), ("Corey", 100), ("Herman", 100), ("Maurice", 99),
    ("Vernon", 99), ("Roberto", 99), ("Clyde", 95), ("Glen", 94), ("Hector", 94), ("Shane", 93),
    ("Ricardo", 93), ("Sam", 93), ("Rick", 93), ("Lester", 92), ("Brent", 91), ("Ramon", 91),
    ("Charlie", 91), ("Tyler", 91), ("Gilbert", 90), ("Gene", 90), ("Marc", 89), ("Reginald", 89),
    ("Ruben", 88), ("Brett", 88), ("Angel", 87), ("Nathaniel", 87), ("Rafael", 86), ("Leslie", 86),
    ("Edgar", 86), ("Milton", 85), ("Raul", 85), ("Ben", 84), ("Chester", 84), ("Cecil", 83),
    ("Duane", 83), ("Franklin", 82), ("Andre", 82), ("Elmer", 81), ("Brad", 81), ("Gabriel", 180),
    ("Ron", 80), ("Mitchell", 80), ("Roland", 79), ("Arnold", 79), ("Harvey", 79), ("Jared", 78),
    ("Adrian", 78), ("Karl", 77), ("Cory", 77), ("Claude", 77), ("Erik", 76), ("Darryl", 76),
    ("Jamie", 75), ("Neil", 75), ("Jessie", 74), ("Christian", 160), ("Javier", 74),
    ("Fernando", 73), ("Clinton", 73), ("Ted", 72), ("Mathew", 72), ("Tyrone", 72), ("Darren", 71),
    ("Lonnie", 71), ("Lance", 70), ("Cody", 70), ("Julio", 70), ("Kelly", 69), ("Kurt", 69),
    ("Allan", 68), ("Nelson", 68), ("Guy", 68), ("Clayton", 67), ("Hugh", 67), ("Max", 66),
    ("Dwayne", 66), ("Dwight", 66), ("Armando", 65), ("Felix", 65), ("Jimmie", 65),
    ("Everett", 64), ("Jordan", 150), ("Ian", 90), ("Wallace", 63), ("Ken", 63), ("Bob", 63),
    ("Jaime", 62), ("Casey", 62), ("Alfredo", 62), ("Alberto", 61), ("Dave", 61), ("Ivan", 61),
    ("Johnnie", 60), ("Sidney", 60), ("Byron", 60), ("Julian", 120), ("Isaac", 120),
    ("Morris", 59), ("Clifton", 59), ("Willard", 59), ("Daryl", 58), ("Ross", 58), ("Virgil", 58),
    ("Andy", 57), ("Marshall", 57), ("Salvador", 56), ("Perry", 56), ("Kirk", 56), ("Sergio", 56),
    ("Marion", 55), ("Tracy", 55), ("Seth", 55), ("Kent", 55), ("Terrance", 55), ("Rene", 54),
    ("Eduardo", 54), ("Terrence", 54), ("Enrique", 54), ("Freddie", 54), ("Wade", 54),
    ("Ethan", 170), ("Noah", 170), ("Liam", 150), ("Mason", 140), ("Logan", 130), ("Aiden", 120),
    ("Elijah", 130), ("Caleb", 110), ("Dylan", 110), ("Austin", 110), ("Hunter", 90),
    ("Cameron", 90), ("Evan", 90), ("Luke", 90), ("Connor", 80), ("Jackson", 90), ("Owen", 80),
    ("Carter", 70), ("Wyatt", 70), ("Landon", 60), ("Jayden", 80), ("Sebastian", 70), ("Levi", 60),
    ("Hudson", 40), ("Lucas", 90), ("Oliver", 80), ("Mateo", 50), ("Santiago", 30), ("Xavier", 50),
    ("Dominic", 50), ("Jaxon", 30), ("Grayson", 40), ("Muhammad", 20), ("Mohammed", 15),
    ("Wei", 15), ("Hiroshi", 5), ("Rajesh", 8), ("Sanjay", 8), ("Vikram", 5), ("Duc", 5),
    ("Minh", 8),
];

/// Given names of female persons.
// A grid keeps these tables readable; one entry per line would be
// a thousand lines of names.
#[rustfmt::skip]
pub(crate) const FEMALE_FIRST: &[(&str, u32)] = &[
    ("Mary", 2629), ("Patricia", 1073), ("Linda", 1035), ("Barbara", 980), ("Elizabeth", 937),
    ("Jennifer", 932), ("Maria", 828), ("Susan", 794), ("Margaret", 768), ("Dorothy", 727),
    ("Lisa", 704), ("Nancy", 669), ("Karen", 667), ("Betty", 666), ("Helen", 663), ("Sandra", 629),
    ("Donna", 583), ("Carol", 565), ("Ruth", 562), ("Sharon", 522), ("Michelle", 519),
    ("Laura", 510), ("Sarah", 508), ("Kimberly", 504), ("Deborah", 494), ("Jessica", 490),
    ("Shirley", 482), ("Cynthia", 469), ("Angela", 468), ("Melissa", 462), ("Brenda", 455),
    ("Amy", 451), ("Anna", 440), ("Rebecca", 430), ("Virginia", 430), ("Kathleen", 424),
    ("Pamela", 416), ("Martha", 412), ("Debra", 408), ("Amanda", 404), ("Stephanie", 400),
    ("Carolyn", 385), ("Christine", 382), ("Marie", 379), ("Janet", 379), ("Catherine", 373),
    ("Frances", 370), ("Ann", 364), ("Joyce", 364), ("Diane", 359), ("Alice", 357), ("Julie", 348),
    ("Heather", 337), ("Teresa", 336), ("Doris", 335), ("Gloria", 335), ("Evelyn", 322),
    ("Jean", 315), ("Cheryl", 315), ("Mildred", 313), ("Katherine", 313), ("Joan", 306),
    ("Ashley", 303), ("Judith", 297), ("Rose", 296), ("Janice", 285), ("Kelly", 283),
    ("Nicole", 281), ("Judy", 276), ("Christina", 275), ("Kathy", 272), ("Theresa", 271),
    ("Beverly", 267), ("Denise", 264), ("Tammy", 259), ("Irene", 252), ("Jane", 250),
    ("Lori", 248), ("Rachel", 242), ("Marilyn", 241), ("Andrea", 236), ("Kathryn", 234),
    ("Louise", 229), ("Sara", 229), ("Anne", 228), ("Jacqueline", 228), ("Wanda", 226),
    ("Bonnie", 223), ("Julia", 223), ("Ruby", 221), ("Lois", 220), ("Tina", 220), ("Phyllis", 219),
    ("Norma", 218), ("Paula", 217), ("Diana", 216), ("Annie", 216), ("Lillian", 211),
    ("Emily", 308), ("Robin", 208), ("Peggy", 208), ("Crystal", 207), ("Gladys", 205),
    ("Rita", 204), ("Dawn", 202), ("Connie", 200), ("Florence", 200), ("Tracy", 197),
    ("Edna", 195), ("Tiffany", 195), ("Carmen", 195), ("Rosa", 194), ("Cindy", 191),
    ("Grace", 239), ("Wendy", 185), ("Victoria", 220), ("Edith", 179), ("Kim", 178),
    ("Sherry", 178), ("Sylvia", 177), ("Josephine", 177), ("Thelma", 175), ("Shannon", 175),
    ("Sheila", 175), ("Ethel", 174), ("Ellen", 173), ("Elaine", 173), ("Marjorie", 173),
    ("Carrie", 171), ("Charlotte", 229), ("Monica", 168), ("Esther", 167), ("Pauline", 165),
    ("Emma", 265), ("Juanita", 164), ("Anita", 162), ("Rhonda", 162), ("Hazel", 161),
    ("Amber", 160), ("Eva", 159), ("Debbie", 157), ("April", 154), ("Leslie", 154), ("Clara", 153),
    ("Lucille", 153), ("Jamie", 153), ("Joanne", 150), ("Eleanor", 150), ("Valerie", 149),
    ("Danielle", 149), ("Megan", 147), ("Alicia", 146), ("Suzanne", 145), ("Michele", 145),
    ("Gail", 145), ("Bertha", 143), ("Darlene", 142), ("Veronica", 142), ("Jill", 142),
    ("Erin", 141), ("Geraldine", 141), ("Lauren", 137), ("Cathy", 137), ("Joann", 136),
    ("Lorraine", 135), ("Lynn", 135), ("Sally", 135), ("Regina", 133), ("Erica", 130),
    ("Beatrice", 130), ("Dolores", 129), ("Bernice", 128), ("Audrey", 127), ("Yvonne", 126),
    ("Annette", 125), ("June", 125), ("Samantha", 184), ("Marion", 122), ("Dana", 122),
    ("Stacy", 121), ("Ana", 120), ("Renee", 120), ("Ida", 118), ("Vivian", 118), ("Roberta", 117),
    ("Holly", 117), ("Brittany", 117), ("Melanie", 116), ("Loretta", 115), ("Yolanda", 115),
    ("Jeanette", 115), ("Laurie", 114), ("Katie", 113), ("Kristen", 111), ("Vanessa", 111),
    ("Alma", 111), ("Sue", 111), ("Elsie", 110), ("Beth", 110), ("Jeanne", 109), ("Vicki", 108),
    ("Carla", 107), ("Tara", 106), ("Rosemary", 105), ("Eileen", 104), ("Terri", 103),
    ("Gertrude", 103), ("Lucy", 102), ("Tonya", 102), ("Ella", 180), ("Stacey", 101),
    ("Wilma", 101), ("Gina", 100), ("Kristin", 100), ("Jessie", 99), ("Natalie", 150),
    ("Agnes", 98), ("Vera", 98), ("Willie", 97), ("Charlene", 97), ("Bessie", 96), ("Delores", 95),
    ("Melinda", 95), ("Pearl", 94), ("Arlene", 94), ("Maureen", 93), ("Colleen", 93),
    ("Allison", 120), ("Tamara", 92), ("Joy", 92), ("Georgia", 91), ("Constance", 91),
    ("Lillie", 90), ("Claudia", 90), ("Jackie", 90), ("Marcia", 89), ("Tanya", 89), ("Nellie", 89),
    ("Minnie", 88), ("Marlene", 88), ("Heidi", 87), ("Glenda", 87), ("Lydia", 86), ("Viola", 86),
    ("Courtney", 86), ("Marian", 85), ("Stella", 85), ("Caroline", 85), ("Dora", 85), ("Jo", 84),
    ("Vickie", 84), ("Mattie", 83), ("Olivia", 200), ("Ava", 160), ("Sophia", 190),
    ("Isabella", 170), ("Mia", 140), ("Abigail", 150), ("Madison", 150), ("Chloe", 110),
    ("Avery", 90), ("Harper", 80), ("Aria", 60), ("Scarlett", 60), ("Lily", 100), ("Hannah", 150),
    ("Alexis", 110), ("Taylor", 100), ("Brianna", 90), ("Kayla", 100), ("Alyssa", 100),
    ("Haley", 80), ("Zoe", 80), ("Addison", 70), ("Brooklyn", 60), ("Savannah", 60), ("Leah", 70),
    ("Aubrey", 50), ("Nevaeh", 40), ("Camila", 60), ("Penelope", 40), ("Layla", 50), ("Riley", 60),
    ("Nora", 50), ("Hailey", 60), ("Morgan", 80), ("Destiny", 50), ("Sydney", 60),
    ("Alexandra", 80), ("Jasmine", 80), ("Kaitlyn", 60), ("Mackenzie", 50), ("Gabriella", 50),
    ("Makayla", 50), ("Guadalupe", 50), ("Mei", 10), ("Priya", 10), ("Aisha", 15), ("Fatima", 15),
    ("Yuki", 5), ("Thuy", 8),
];

/// Family names. Apostrophes (O'Brien) and multi-word names (De La Cruz)
/// are part of the list, at their natural frequency.
// A grid keeps these tables readable; one entry per line would be
// a thousand lines of names.
#[rustfmt::skip]
pub(crate) const SURNAMES: &[(&str, u32)] = &[
    ("Smith", 828), ("Johnson", 655), ("Williams", 550), ("Brown", 487), ("Jones", 483),
    ("Garcia", 399), ("Miller", 395), ("Davis", 383), ("Rodriguez", 364), ("Martinez", 355),
    ("Hernandez", 347), ("Lopez", 290), ("Gonzalez", 283), ("Wilson", 273), ("Anderson", 266),
    ("Thomas", 253), ("Taylor", 252), ("Moore", 234), ("Jackson", 231), ("Martin", 230),
    ("Lee", 228), ("Perez", 224), ("Thompson", 223), ("White", 220), ("Harris", 204),
    ("Sanchez", 203), ("Clark", 188), ("Ramirez", 186), ("Lewis", 179), ("Robinson", 178),
    ("Walker", 176), ("Young", 164), ("Allen", 163), ("King", 161), ("Wright", 159),
    ("Scott", 149), ("Torres", 146), ("Nguyen", 144), ("Hill", 144), ("Flores", 143),
    ("Green", 142), ("Adams", 139), ("Nelson", 137), ("Baker", 135), ("Hall", 134),
    ("Rivera", 131), ("Campbell", 125), ("Mitchell", 123), ("Carter", 122), ("Roberts", 121),
    ("Gomez", 116), ("Phillips", 114), ("Evans", 112), ("Turner", 111), ("Diaz", 110),
    ("Parker", 109), ("Cruz", 106), ("Edwards", 106), ("Collins", 104), ("Reyes", 104),
    ("Stewart", 102), ("Morris", 99), ("Morales", 99), ("Murphy", 98), ("Cook", 97),
    ("Rogers", 97), ("Gutierrez", 95), ("Ortiz", 94), ("Morgan", 94), ("Cooper", 93),
    ("Peterson", 93), ("Bailey", 92), ("Reed", 91), ("Kelly", 90), ("Howard", 90), ("Ramos", 89),
    ("Kim", 88), ("Cox", 87), ("Ward", 87), ("Richardson", 87), ("Watson", 86), ("Brooks", 85),
    ("Chavez", 85), ("Wood", 85), ("James", 85), ("Bennett", 84), ("Gray", 84), ("Mendoza", 83),
    ("Ruiz", 82), ("Hughes", 82), ("Price", 81), ("Alvarez", 81), ("Castillo", 80),
    ("Sanders", 80), ("Patel", 80), ("Myers", 79), ("Long", 78), ("Ross", 78), ("Foster", 78),
    ("Jimenez", 77), ("Powell", 76), ("Jenkins", 75), ("Perry", 74), ("Russell", 74),
    ("Sullivan", 73), ("Bell", 73), ("Coleman", 73), ("Butler", 72), ("Henderson", 72),
    ("Barnes", 71), ("Gonzales", 71), ("Fisher", 70), ("Vasquez", 69), ("Simmons", 69),
    ("Romero", 68), ("Jordan", 68), ("Patterson", 68), ("Alexander", 67), ("Hamilton", 67),
    ("Graham", 67), ("Reynolds", 66), ("Griffin", 66), ("Wallace", 65), ("Moreno", 65),
    ("West", 64), ("Cole", 64), ("Hayes", 64), ("Bryant", 64), ("Herrera", 64), ("Gibson", 63),
    ("Ellis", 63), ("Tran", 63), ("Medina", 63), ("Aguilar", 62), ("Stevens", 62), ("Murray", 62),
    ("Ford", 61), ("Castro", 61), ("Marshall", 61), ("Owens", 61), ("Harrison", 61),
    ("Fernandez", 60), ("McDonald", 60), ("Woods", 60), ("Washington", 60), ("Kennedy", 59),
    ("Wells", 59), ("Vargas", 59), ("Henry", 59), ("Chen", 58), ("Freeman", 58), ("Webb", 58),
    ("Tucker", 58), ("Guzman", 57), ("Burns", 57), ("Crawford", 57), ("Olson", 57),
    ("Simpson", 57), ("Porter", 56), ("Hunter", 56), ("Gordon", 56), ("Mendez", 56), ("Silva", 55),
    ("Shaw", 55), ("Snyder", 55), ("Mason", 55), ("Dixon", 54), ("Munoz", 54), ("Hunt", 54),
    ("Hicks", 54), ("Holmes", 54), ("Palmer", 53), ("Wagner", 53), ("Black", 53),
    ("Robertson", 53), ("Boyd", 53), ("Rose", 52), ("Stone", 52), ("Salazar", 52), ("Fox", 52),
    ("Warren", 52), ("Mills", 51), ("Meyer", 51), ("Rice", 51), ("Schmidt", 51), ("Garza", 51),
    ("Daniels", 50), ("Ferguson", 50), ("Nichols", 50), ("Stephens", 50), ("Soto", 50),
    ("Weaver", 49), ("Ryan", 49), ("Gardner", 49), ("Payne", 49), ("Grant", 49), ("Dunn", 49),
    ("Kelley", 48), ("Spencer", 48), ("Hawkins", 48), ("Arnold", 48), ("Pierce", 48),
    ("Vazquez", 48), ("Hansen", 48), ("Peters", 47), ("Santos", 47), ("Hart", 47), ("Bradley", 47),
    ("Knight", 47), ("Elliott", 47), ("Cunningham", 47), ("Duncan", 47), ("Armstrong", 47),
    ("Hudson", 46), ("Carroll", 46), ("Lane", 46), ("Riley", 46), ("Andrews", 46),
    ("Alvarado", 46), ("Ray", 45), ("Delgado", 45), ("Berry", 45), ("Perkins", 45),
    ("Hoffman", 45), ("Johnston", 45), ("Matthews", 45), ("Pena", 45), ("Richards", 45),
    ("Contreras", 45), ("Willis", 44), ("Carpenter", 44), ("Lawrence", 44), ("Sandoval", 44),
    ("Guerrero", 43), ("George", 43), ("Chapman", 43), ("Rios", 43), ("Estrada", 43),
    ("Ortega", 43), ("Watkins", 43), ("Greene", 43), ("Nunez", 43), ("Wheeler", 43),
    ("Valdez", 42), ("Harper", 42), ("Burke", 42), ("Larson", 42), ("Santiago", 42),
    ("Maldonado", 41), ("Morrison", 41), ("Franklin", 41), ("Carlson", 41), ("Austin", 41),
    ("Dominguez", 41), ("Carr", 40), ("Lawson", 40), ("Jacobs", 40), ("Wong", 40), ("Lynch", 39),
    ("Bishop", 39), ("Wang", 35), ("Singh", 35), ("Li", 30), ("Park", 30), ("Pham", 30),
    ("Yang", 25), ("Cohen", 30), ("Schwartz", 25), ("Friedman", 15), ("Goldberg", 12),
    ("Kowalski", 10), ("Novak", 10), ("Russo", 15), ("Romano", 10), ("Esposito", 8), ("Choi", 15),
    ("Vu", 15), ("Shah", 15), ("Kumar", 15), ("Yamamoto", 6), ("McCarthy", 30), ("McKenzie", 10),
    ("MacDonald", 10), ("McLaughlin", 12), ("O'Brien", 35), ("O'Connor", 30), ("O'Neill", 25),
    ("O'Donnell", 15), ("O'Reilly", 12), ("O'Sullivan", 10), ("O'Hara", 9), ("O'Malley", 8),
    ("D'Angelo", 5), ("D'Amico", 4), ("De La Cruz", 15), ("Del Rosario", 6), ("Van Dyke", 6),
    ("St. John", 5), ("De Leon", 12), ("Van Buren", 2),
];

/// Male given names with diacritics, drawn at the accent rate.
// A grid keeps these tables readable; one entry per line would be
// a thousand lines of names.
#[rustfmt::skip]
pub(crate) const ACCENTED_MALE_FIRST: &[(&str, u32)] = &[
    ("José", 30), ("Jesús", 10), ("Ángel", 8), ("Raúl", 6), ("Ramón", 6), ("André", 6),
    ("Andrés", 5), ("Sebastián", 5), ("Nicolás", 5), ("Óscar", 5), ("Joaquín", 4), ("Julián", 4),
    ("Matías", 4), ("Tomás", 4), ("François", 3), ("Jérôme", 2), ("Stéphane", 2), ("Søren", 2),
    ("Łukasz", 2), ("Björn", 2), ("Efraín", 2), ("Jürgen", 1), ("Iñaki", 1), ("Zoltán", 1),
    ("Dũng", 1),
];

/// Female given names with diacritics, drawn at the accent rate.
// A grid keeps these tables readable; one entry per line would be
// a thousand lines of names.
#[rustfmt::skip]
pub(crate) const ACCENTED_FEMALE_FIRST: &[(&str, u32)] = &[
    ("María", 30), ("Zoë", 8), ("Renée", 8), ("Sofía", 6), ("Lucía", 5), ("Chloé", 4),
    ("Mónica", 4), ("Verónica", 4), ("Ángela", 4), ("Inés", 3), ("Zoé", 2), ("Bárbara", 2),
    ("Rocío", 2), ("Belén", 2), ("Désirée", 2), ("Noémie", 1), ("Anaïs", 1), ("Héloïse", 1),
    ("Agnès", 1), ("Begoña", 1), ("Małgorzata", 1), ("Åsa", 1), ("Maëlle", 1), ("Salomé", 1),
    ("Éloïse", 1),
];

/// Family names with diacritics, drawn at the accent rate.
// A grid keeps these tables readable; one entry per line would be
// a thousand lines of names.
#[rustfmt::skip]
pub(crate) const ACCENTED_SURNAMES: &[(&str, u32)] = &[
    ("García", 30), ("Rodríguez", 25), ("Martínez", 25), ("Hernández", 22), ("López", 20),
    ("González", 20), ("Pérez", 16), ("Sánchez", 15), ("Nguyễn", 15), ("Ramírez", 13),
    ("Gómez", 10), ("Díaz", 9), ("Jiménez", 7), ("Muñoz", 6), ("Müller", 6), ("Trần", 6),
    ("Núñez", 5), ("Peña", 5), ("Lê", 5), ("Phạm", 4), ("Côté", 3), ("Đặng", 2), ("Schröder", 2),
    ("Weiß", 2), ("Jørgensen", 2), ("Lefèvre", 2), ("Gagné", 2), ("Wójcik", 2), ("Søndergaard", 1),
    ("Bérubé", 1), ("Łukaszewski", 1), ("Çelik", 1), ("Öztürk", 1), ("Håkansson", 1),
    ("Ødegaard", 1), ("Nuñez", 1),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_nickname_base_is_a_listed_first_name() {
        for (formal, _) in NICKNAMES {
            let listed = MALE_FIRST
                .iter()
                .chain(FEMALE_FIRST)
                .any(|(n, _)| n == formal);
            assert!(listed, "{formal}");
        }
    }

    #[test]
    fn names_hold_no_csv_delimiter_or_quote() {
        let all = MALE_FIRST.iter().chain(FEMALE_FIRST).chain(SURNAMES);
        let all = all.chain(ACCENTED_MALE_FIRST).chain(ACCENTED_FEMALE_FIRST);
        for (name, weight) in all.chain(ACCENTED_SURNAMES) {
            assert!(!name.contains([',', '"', '\n']), "{name}");
            assert!(*weight > 0);
        }
    }

    #[test]
    fn sampling_follows_weights() {
        let list = Weighted::new(&[("a", 1), ("b", 3)]);
        let mut rng = Rng::new(7, 0, 0);
        let b = (0..40_000).filter(|_| list.sample(&mut rng) == "b").count();
        assert!((29_000..31_000).contains(&b), "{b}");
    }
}
