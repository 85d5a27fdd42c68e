//! The widget's own words in the eleven languages of the demo help center,
//! overridable per key by the host page (`strings` option). A language
//! without a table falls back to English key by key.

use std::collections::HashMap;

/// Declares [`Text`] (one variant per user-visible string, so a misspelt
/// key does not compile) and [`KEYS`] (their names, in table order: the
/// `strings` attribute and `HcStringKey` use these) from one list.
macro_rules! texts {
    ($($variant:ident = $key:literal,)*) => {
        /// A user-visible string.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Text { $($variant,)* }

        /// Every user-visible string, by key, in the order of the tables.
        pub const KEYS: &[&str] = &[$($key,)*];
    };
}

texts! {
    Launcher = "launcher",
    Placeholder = "placeholder",
    Label = "label",
    DialogLabel = "dialog_label",
    ResultsLabel = "results_label",
    Close = "close",
    ResultsOne = "results_one",
    ResultsMany = "results_many",
    NoResults = "no_results",
    NoResultsHint = "no_results_hint",
    Popular = "popular",
    Loading = "loading",
    Indexing = "indexing",
    Offline = "offline",
    RateLimited = "rate_limited",
    Unavailable = "unavailable",
    BadContent = "bad_content",
    Retry = "retry",
    Back = "back",
    OpenFull = "open_full",
    Language = "language",
    ContactSupport = "contact_support",
    ShowMore = "show_more",
    Suggested = "suggested",
}

impl Text {
    /// Its name in [`KEYS`] and in the `strings` attribute.
    pub fn key(self) -> &'static str {
        KEYS[self as usize]
    }
}

const EN: &[&str] = &[
    "Search help",
    "Search help articles…",
    "Search the help center",
    "Help search",
    "Search results",
    "Close",
    "1 result",
    "{n} results",
    "No results for “{q}”",
    "Try other words, or open one of the popular articles.",
    "Popular articles",
    "Loading the help center…",
    "Preparing search…",
    "You seem to be offline.",
    "The help center is busy. Try again in a minute.",
    "The help center is not available right now.",
    "The help center's content could not be read.",
    "Try again",
    "Back to results",
    "Open the full article",
    "Language",
    "Contact support",
    "Show more results",
    "Suggested articles",
];

const DE: &[&str] = &[
    "Hilfe durchsuchen",
    "Hilfeartikel durchsuchen…",
    "Das Hilfe-Center durchsuchen",
    "Hilfesuche",
    "Suchergebnisse",
    "Schließen",
    "1 Ergebnis",
    "{n} Ergebnisse",
    "Keine Ergebnisse für „{q}“",
    "Versuchen Sie andere Wörter oder öffnen Sie einen der beliebten Artikel.",
    "Beliebte Artikel",
    "Hilfe-Center wird geladen…",
    "Suche wird vorbereitet…",
    "Sie scheinen offline zu sein.",
    "Das Hilfe-Center ist ausgelastet. Versuchen Sie es in einer Minute erneut.",
    "Das Hilfe-Center ist gerade nicht erreichbar.",
    "Der Inhalt des Hilfe-Centers konnte nicht gelesen werden.",
    "Erneut versuchen",
    "Zurück zu den Ergebnissen",
    "Ganzen Artikel öffnen",
    "Sprache",
    "Support kontaktieren",
    "Weitere Ergebnisse anzeigen",
    "Empfohlene Artikel",
];

const ES: &[&str] = &[
    "Buscar ayuda",
    "Buscar artículos de ayuda…",
    "Buscar en el centro de ayuda",
    "Búsqueda de ayuda",
    "Resultados de búsqueda",
    "Cerrar",
    "1 resultado",
    "{n} resultados",
    "No hay resultados para «{q}»",
    "Pruebe con otras palabras o abra uno de los artículos populares.",
    "Artículos populares",
    "Cargando el centro de ayuda…",
    "Preparando la búsqueda…",
    "Parece que no tiene conexión.",
    "El centro de ayuda está ocupado. Inténtelo de nuevo en un minuto.",
    "El centro de ayuda no está disponible en este momento.",
    "No se pudo leer el contenido del centro de ayuda.",
    "Reintentar",
    "Volver a los resultados",
    "Abrir el artículo completo",
    "Idioma",
    "Contactar con soporte",
    "Mostrar más resultados",
    "Artículos sugeridos",
];

const FR: &[&str] = &[
    "Rechercher de l'aide",
    "Rechercher dans les articles d'aide…",
    "Rechercher dans le centre d'aide",
    "Recherche d'aide",
    "Résultats de recherche",
    "Fermer",
    "1 résultat",
    "{n} résultats",
    "Aucun résultat pour « {q} »",
    "Essayez d'autres mots ou ouvrez l'un des articles populaires.",
    "Articles populaires",
    "Chargement du centre d'aide…",
    "Préparation de la recherche…",
    "Vous semblez être hors ligne.",
    "Le centre d'aide est occupé. Réessayez dans une minute.",
    "Le centre d'aide n'est pas disponible pour le moment.",
    "Le contenu du centre d'aide n'a pas pu être lu.",
    "Réessayer",
    "Retour aux résultats",
    "Ouvrir l'article complet",
    "Langue",
    "Contacter le support",
    "Afficher plus de résultats",
    "Articles suggérés",
];

const IT: &[&str] = &[
    "Cerca nella guida",
    "Cerca negli articoli della guida…",
    "Cerca nel centro assistenza",
    "Ricerca nella guida",
    "Risultati della ricerca",
    "Chiudi",
    "1 risultato",
    "{n} risultati",
    "Nessun risultato per «{q}»",
    "Prova con altre parole o apri uno degli articoli più letti.",
    "Articoli più letti",
    "Caricamento del centro assistenza…",
    "Preparazione della ricerca…",
    "Sembra che tu sia offline.",
    "Il centro assistenza è occupato. Riprova tra un minuto.",
    "Il centro assistenza non è disponibile al momento.",
    "Non è stato possibile leggere il contenuto del centro assistenza.",
    "Riprova",
    "Torna ai risultati",
    "Apri l'articolo completo",
    "Lingua",
    "Contatta l’assistenza",
    "Mostra altri risultati",
    "Articoli suggeriti",
];

const JA: &[&str] = &[
    "ヘルプを検索",
    "ヘルプ記事を検索…",
    "ヘルプセンターを検索",
    "ヘルプ検索",
    "検索結果",
    "閉じる",
    "1 件の結果",
    "{n} 件の結果",
    "「{q}」に一致する結果はありません",
    "別の言葉で検索するか、よく読まれている記事をご覧ください。",
    "よく読まれている記事",
    "ヘルプセンターを読み込んでいます…",
    "検索を準備しています…",
    "オフラインのようです。",
    "ヘルプセンターが混み合っています。1 分後にもう一度お試しください。",
    "ヘルプセンターは現在ご利用いただけません。",
    "ヘルプセンターの内容を読み込めませんでした。",
    "再試行",
    "検索結果に戻る",
    "記事全体を開く",
    "言語",
    "サポートに問い合わせる",
    "さらに結果を表示",
    "おすすめの記事",
];

const PT: &[&str] = &[
    "Pesquisar ajuda",
    "Pesquisar artigos de ajuda…",
    "Pesquisar no centro de ajuda",
    "Pesquisa de ajuda",
    "Resultados da pesquisa",
    "Fechar",
    "1 resultado",
    "{n} resultados",
    "Sem resultados para «{q}»",
    "Experimente outras palavras ou abra um dos artigos mais lidos.",
    "Artigos mais lidos",
    "A carregar o centro de ajuda…",
    "A preparar a pesquisa…",
    "Parece estar sem ligação.",
    "O centro de ajuda está ocupado. Tente novamente dentro de um minuto.",
    "O centro de ajuda não está disponível de momento.",
    "Não foi possível ler o conteúdo do centro de ajuda.",
    "Tentar novamente",
    "Voltar aos resultados",
    "Abrir o artigo completo",
    "Idioma",
    "Contactar o suporte",
    "Mostrar mais resultados",
    "Artigos sugeridos",
];

const PT_BR: &[&str] = &[
    "Pesquisar ajuda",
    "Pesquisar artigos de ajuda…",
    "Pesquisar na central de ajuda",
    "Pesquisa de ajuda",
    "Resultados da pesquisa",
    "Fechar",
    "1 resultado",
    "{n} resultados",
    "Nenhum resultado para “{q}”",
    "Tente outras palavras ou abra um dos artigos populares.",
    "Artigos populares",
    "Carregando a central de ajuda…",
    "Preparando a pesquisa…",
    "Parece que você está sem conexão.",
    "A central de ajuda está ocupada. Tente novamente em um minuto.",
    "A central de ajuda não está disponível no momento.",
    "Não foi possível ler o conteúdo da central de ajuda.",
    "Tentar novamente",
    "Voltar aos resultados",
    "Abrir o artigo completo",
    "Idioma",
    "Falar com o suporte",
    "Ver mais resultados",
    "Artigos sugeridos",
];

const ZH_CN: &[&str] = &[
    "搜索帮助",
    "搜索帮助文章…",
    "搜索帮助中心",
    "帮助搜索",
    "搜索结果",
    "关闭",
    "1 条结果",
    "{n} 条结果",
    "没有与“{q}”相关的结果",
    "请尝试其他关键词，或打开一篇热门文章。",
    "热门文章",
    "正在加载帮助中心…",
    "正在准备搜索…",
    "您似乎处于离线状态。",
    "帮助中心繁忙，请一分钟后重试。",
    "帮助中心暂时不可用。",
    "无法读取帮助中心的内容。",
    "重试",
    "返回搜索结果",
    "打开完整文章",
    "语言",
    "联系支持团队",
    "显示更多结果",
    "推荐文章",
];

const ZH_TW: &[&str] = &[
    "搜尋說明",
    "搜尋說明文章…",
    "搜尋說明中心",
    "說明搜尋",
    "搜尋結果",
    "關閉",
    "1 筆結果",
    "{n} 筆結果",
    "找不到與「{q}」相關的結果",
    "請嘗試其他關鍵字，或開啟一篇熱門文章。",
    "熱門文章",
    "正在載入說明中心…",
    "正在準備搜尋…",
    "您似乎處於離線狀態。",
    "說明中心忙碌中，請一分鐘後再試。",
    "說明中心目前無法使用。",
    "無法讀取說明中心的內容。",
    "重試",
    "返回搜尋結果",
    "開啟完整文章",
    "語言",
    "聯絡支援團隊",
    "顯示更多結果",
    "推薦文章",
];

const ID: &[&str] = &[
    "Cari bantuan",
    "Cari artikel bantuan…",
    "Cari di pusat bantuan",
    "Pencarian bantuan",
    "Hasil pencarian",
    "Tutup",
    "1 hasil",
    "{n} hasil",
    "Tidak ada hasil untuk “{q}”",
    "Coba kata lain, atau buka salah satu artikel populer.",
    "Artikel populer",
    "Memuat pusat bantuan…",
    "Menyiapkan pencarian…",
    "Sepertinya Anda sedang offline.",
    "Pusat bantuan sedang sibuk. Coba lagi dalam satu menit.",
    "Pusat bantuan sedang tidak tersedia.",
    "Konten pusat bantuan tidak dapat dibaca.",
    "Coba lagi",
    "Kembali ke hasil",
    "Buka artikel lengkap",
    "Bahasa",
    "Hubungi dukungan",
    "Tampilkan hasil lainnya",
    "Artikel yang disarankan",
];

/// Languages with a built-in table.
pub const UI_LANGUAGES: &[&str] = &[
    "en", "de", "es", "fr", "it", "ja", "pt", "pt-br", "zh-cn", "zh-tw", "id",
];

fn table(lang: &str) -> &'static [&'static str] {
    match lang {
        "de" => DE,
        "es" => ES,
        "fr" => FR,
        "it" => IT,
        "ja" => JA,
        "pt" => PT,
        "pt-br" => PT_BR,
        "zh-cn" => ZH_CN,
        "zh-tw" => ZH_TW,
        "id" => ID,
        _ => EN,
    }
}

pub use hc_core::lang::language_name;

/// The strings of one language with the host's overrides applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Strings {
    /// Indexed by `Text as usize`.
    values: Vec<String>,
}

impl Strings {
    pub fn new(lang: &str, overrides: &HashMap<String, String>) -> Self {
        let t = table(lang);
        let values = KEYS
            .iter()
            .enumerate()
            .map(|(i, key)| {
                overrides
                    .get(*key)
                    .cloned()
                    .unwrap_or_else(|| t[i].to_string())
            })
            .collect();
        Strings { values }
    }

    pub fn get(&self, text: Text) -> String {
        self.values[text as usize].clone()
    }

    /// "3 results" / "1 result".
    pub fn count(&self, n: u32) -> String {
        if n == 1 {
            self.get(Text::ResultsOne)
        } else {
            self.get(Text::ResultsMany).replace("{n}", &n.to_string())
        }
    }

    pub fn no_results(&self, query: &str) -> String {
        self.get(Text::NoResults).replace("{q}", query)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The npm package's `HcStringKey` type lists exactly these keys, in
    /// this order: a key added here and not there (or a typo) fails.
    #[test]
    fn the_typescript_string_keys_are_these_keys() {
        let dts = include_str!("../../../npm/index.d.ts");
        let start = dts
            .find("export type HcStringKey =")
            .expect("npm/index.d.ts declares HcStringKey");
        let union = &dts[start..];
        let union = &union[..union.find(';').expect("the type ends with ;")];
        let keys: Vec<&str> = union
            .split('|')
            .skip(1)
            .map(|k| k.trim().trim_matches('"'))
            .collect();
        assert_eq!(keys, KEYS);
    }

    #[test]
    fn every_table_is_complete_and_translated() {
        for lang in UI_LANGUAGES {
            let t = table(lang);
            assert_eq!(t.len(), KEYS.len(), "{lang}");
            assert!(t.iter().all(|s| !s.trim().is_empty()), "{lang}");
            assert!(t[Text::ResultsMany as usize].contains("{n}"), "{lang}");
            assert!(t[Text::NoResults as usize].contains("{q}"), "{lang}");
            if *lang != "en" {
                assert_ne!(
                    t[Text::Placeholder as usize],
                    EN[Text::Placeholder as usize],
                    "{lang} placeholder is translated"
                );
            }
        }
    }

    #[test]
    fn overrides_and_placeholders() {
        let overrides = [("placeholder".to_string(), "Ask us".to_string())].into();
        let s = Strings::new("de", &overrides);
        assert_eq!(s.get(Text::Placeholder), "Ask us");
        assert_eq!(s.count(3), "3 Ergebnisse");
        assert_eq!(s.count(1), "1 Ergebnis");
        assert_eq!(s.no_results("xyz"), "Keine Ergebnisse für „xyz“");
        assert_eq!(
            Strings::new("ko", &HashMap::new()).get(Text::Close),
            "Close"
        );
        assert_eq!(Text::NoResultsHint.key(), "no_results_hint");
    }
}
