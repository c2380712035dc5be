"""The one label table: every word a report shows, in Chinese and English.

Column headers, policy functions, government levels, roles, kinds of dates and
targets, problem kinds — each key maps to ``(zh, en)``.  Tables and charts in every
notebook take their words from here, so a label is changed in one place and
``lang="en"`` leaves no Chinese key behind.

>>> label("agency", "zh"), label("agency", "en")
('单位', 'body')
>>> label("housing_urban_rural", "en")
'housing and urban-rural development'
>>> label("not_a_key", "en")
'not a key'
"""

from __future__ import annotations

from collections.abc import Iterable

LANGS = ("zh", "en")

# key: (zh, en)
LABELS: dict[str, tuple[str, str]] = {
    # ------------------------------------------------------------- column headers
    "doc_id": ("文件编号", "document id"),
    "document": ("文件", "document"),
    "short_name": ("文件", "document"),
    "source_file": ("源文件", "source file"),
    "title": ("标题", "title"),
    "headline": ("网页标题", "headline"),
    "issuer": ("发文机关", "issuer"),
    "level": ("层级", "level"),
    "region": ("地区", "region"),
    "province": ("省份", "province"),
    "issued": ("印发日期", "issued"),
    "published": ("发布日期", "published"),
    "doc_number": ("发文字号", "document number"),
    "script": ("原文字形", "script"),
    "n_chars": ("字数", "characters"),
    "duplicate_of": ("重复于", "duplicate of"),
    "encoding": ("编码", "encoding"),
    "kind": ("类型", "kind"),
    "detail": ("说明", "detail"),
    "start": ("起点", "start"),
    "end": ("终点", "end"),
    "step": ("清洗步骤", "cleaning step"),
    "chars_removed": ("删除字数", "characters removed"),
    "items": ("删除项数", "items removed"),
    "chapters": ("章数", "chapters"),
    "depth_1": ("一级任务数", "tasks at depth 1"),
    "depth_2": ("二级任务数", "tasks at depth 2"),
    "depth_3": ("三级任务数", "tasks at depth 3"),
    "task_id": ("任务", "task"),
    "task": ("任务", "task"),
    "path": ("位置", "position in document"),
    "task_title": ("任务标题", "task title"),
    "label": ("编号", "number"),
    "text": ("原文", "text"),
    "date": ("日期", "date"),
    "precision": ("精度", "precision"),
    "end_date": ("结束日期", "end date"),
    "agencies": ("责任单位", "responsible bodies"),
    "agency": ("单位", "body"),
    "agency_raw": ("原文写法", "as written"),
    "agency_en": ("英文名称", "English name"),
    "function": ("职能", "policy function"),
    "agency_type": ("单位类型", "type of body"),
    "role": ("角色", "role"),
    "source": ("依据", "read from"),
    "open_list": ("含“等”", "open list (等)"),
    "position": ("顺序", "order in clause"),
    "key": ("单位", "body"),
    "led": ("牵头", "led"),
    "supported": ("配合", "supported"),
    "joint": ("按职责分工", "shared"),
    "total": ("合计", "total"),
    "mentioned": ("仅提及", "mentioned only"),
    "share": ("占任务比例", "share of tasks"),
    "generic": ("泛指单位", "catch-all body"),
    "cited_title": ("被引文件", "cited document"),
    # diffusion dyads (analysis.dyads)
    "earlier": ("前一文件", "earlier"),
    "later": ("后一文件", "later"),
    "cites": ("后者引用前者", "later cites earlier"),
    "level_earlier": ("前者层级", "earlier's level"),
    "level_later": ("后者层级", "later's level"),
    "region_earlier": ("前者地区", "earlier's region"),
    "region_later": ("后者地区", "later's region"),
    "gap_days": ("相隔天数", "days between"),
    "similarity": ("任务文字相似度", "similarity of tasks"),
    "tasks_earlier": ("前者任务数", "earlier's tasks"),
    "tasks_covered": ("被承接任务数", "tasks covered"),
    "share_covered": ("承接比例", "share covered"),
    "verbatim_chars": ("逐字重复字数", "characters reused"),
    "verbatim_share": ("逐字重复比例", "share reused"),
    "tasks_later": ("后者任务数", "later's tasks"),
    "added_tasks": ("新增任务", "new tasks"),
    "added_targets": ("新增指标", "new targets"),
    "added_bodies": ("新增责任单位", "new bodies"),
    "later_deadlines": ("后者时限数", "deadlines set"),
    "cited_number": ("被引文号", "cited number"),
    "cited_doc_id": ("库中文件", "in this corpus"),
    "indicator": ("指标", "indicator"),
    "comparator": ("比较", "comparator"),
    "value": ("数值", "value"),
    "value_low": ("下限", "lower value"),
    "unit": ("单位（计量）", "unit"),
    "value_base": ("基本单位数值", "value in base unit"),
    "unit_base": ("基本单位", "base unit"),
    "qualifier": ("限定", "qualifier"),
    "year": ("年份", "year"),
    "sentence": ("句子", "sentence"),
    "best_score": ("最高相似度", "best score"),
    "score": ("相似度", "similarity"),
    "covered": ("已承接", "taken up"),
    "best_task_id": ("最相近任务", "closest task"),
    "reference_task_id": ("参照任务", "reference task"),
    "coverage_share": ("承接比例", "share taken up"),
    "covered_tasks": ("承接任务数", "tasks taken up"),
    "reference_tasks": ("参照任务数", "reference tasks"),
    # ------------------------------------------------------------- values: levels, roles, kinds
    "national": ("国家", "national"),
    "provincial": ("省级", "provincial"),
    "municipal": ("市级", "municipal"),
    "county": ("县级", "county"),
    "generic_level": ("泛指", "generic"),
    "lead": ("牵头", "lead"),
    "support": ("配合", "support"),
    "clause": ("责任分工句", "responsibility clause"),
    "prose": ("正文职责", "duty in prose"),
    "mention": ("提及", "mention"),
    "deadline": ("截止日期", "deadline"),
    "target_year": ("目标年份", "target year"),
    "baseline": ("基期", "baseline"),
    "period": ("时期", "period"),
    "relative": ("相对时限", "relative horizon"),
    "ongoing": ("持续", "ongoing"),
    "target": ("目标", "target"),
    "threshold": ("门槛", "threshold"),
    "limit": ("限制", "limit"),
    "day": ("日", "day"),
    "month": ("月", "month"),
    "simplified": ("简体", "simplified"),
    "traditional": ("繁体", "traditional"),
    "mojibake": ("乱码", "garbled text"),
    "damaged_clause": ("残缺责任句", "damaged clause"),
    "boilerplate_removed": ("删除网页模板文字", "web boilerplate removed"),
    "numbering_skip": ("编号跳号", "numbering skips"),
    "numbering_repeat": ("编号重复", "numbering repeats"),
    "unknown_agency": ("未识别单位", "unknown body"),
    "front_matter": ("前置元数据", "front matter"),
    "no_text": ("无正文", "no text"),
    "empty": ("空文件", "empty file"),
    "binary": ("二进制文件", "binary file"),
    "undecodable": ("无法解码", "undecodable"),
    "duplicate": ("重复文件", "duplicate"),
    "error": ("错误", "error"),
    "principle": ("指导思想与原则", "principle"),
    "goal": ("目标", "goal"),
    "safeguard": ("保障措施", "safeguard"),
    "context": ("发展基础与形势", "context"),
    "department": ("部门", "department"),
    "party organ": ("党的机关", "party organ"),
    "local government": ("地方政府", "local government"),
    "coordination body": ("议事协调机构", "coordination body"),
    "enterprise or financial body": ("企业或金融机构", "enterprise or financial body"),
    "other": ("其他", "other"),
    "covered_cell": ("已承接", "covered"),
    "partly_cell": ("部分承接", "partly covered"),
    "not_covered_cell": ("未承接", "not covered"),
    "date_unknown": ("日期不详", "date unknown"),
    "cited": ("被引文件", "cited document"),
    "others": ("其他", "others"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    # ------------------------------------------------------------- policy functions (agency register)
    "general": ("综合（有关部门）", "general (relevant departments)"),
    "local_government": ("地方政府", "local government"),
    "unknown": ("未识别", "not identified"),
    "mass_organization": ("群团组织", "mass organisations"),
    "banking": ("银行", "banking"),
    "financial_regulation": ("金融监管", "financial regulation"),
    "emergency": ("应急管理", "emergency management"),
    "energy": ("能源", "energy"),
    "government_affairs": ("政府综合", "government affairs"),
    "finance_fiscal": ("财政", "public finance"),
    "urbanization": ("新型城镇化", "urbanisation"),
    "science_technology": ("科技", "science and technology"),
    "industry_it": ("工业和信息化", "industry and IT"),
    "health": ("卫生健康", "health"),
    "foreign_affairs": ("外事", "foreign affairs"),
    "development_reform": ("发展改革", "development and reform"),
    "housing_urban_rural": ("住房和城乡建设", "housing and urban-rural development"),
    "transport": ("交通运输", "transport"),
    "taxation": ("税务", "taxation"),
    "statistics": ("统计", "statistics"),
    "organization": ("组织人事", "party organisation"),
    "education": ("教育", "education"),
    "ethnic_religious": ("民族宗教", "ethnic and religious affairs"),
    "public_security": ("公安", "public security"),
    "civil_affairs": ("民政", "civil affairs"),
    "justice": ("司法", "justice"),
    "human_resources_social_security": ("人力资源和社会保障", "human resources and social security"),
    "natural_resources": ("自然资源", "natural resources"),
    "ecology_environment": ("生态环境", "ecology and environment"),
    "water": ("水利", "water resources"),
    "agriculture_rural": ("农业农村", "agriculture and rural affairs"),
    "commerce": ("商务", "commerce"),
    "culture_tourism": ("文化和旅游", "culture and tourism"),
    "veterans": ("退役军人事务", "veterans affairs"),
    "audit": ("审计", "audit"),
    "state_assets": ("国有资产", "state-owned assets"),
    "market_regulation": ("市场监管", "market regulation"),
    "sports": ("体育", "sports"),
    "healthcare_security": ("医疗保障", "healthcare security"),
    "petitions": ("信访", "petitions"),
    "grain_reserves": ("粮食和物资储备", "grain and material reserves"),
    "data_government_services": ("数据和政务服务", "data and government services"),
    "forestry_grassland": ("林业和草原", "forestry and grassland"),
    "railway": ("铁路", "railways"),
    "postal": ("邮政", "postal services"),
    "rural_revitalization": ("乡村振兴", "rural revitalisation"),
    "cyberspace": ("网信", "cyberspace affairs"),
    "publicity": ("宣传", "publicity"),
    "establishment": ("机构编制", "institutional establishment"),
    "communications": ("通信管理", "communications"),
    "cultural_heritage": ("文物", "cultural heritage"),
    "medical_products": ("药品监管", "medical products"),
    "united_front": ("统战", "united front"),
    "political_legal": ("政法", "political and legal affairs"),
    "economic_affairs": ("财经", "economic affairs"),
    "rural_affairs": ("农村工作", "rural work"),
    "urban_management": ("城市管理", "urban management"),
    "securities_regulation": ("证券监管", "securities regulation"),
    "radio_television": ("广播电视", "radio and television"),
    "intellectual_property": ("知识产权", "intellectual property"),
    "meteorology": ("气象", "meteorology"),
    "disease_control": ("疾病预防控制", "disease control"),
    "reform": ("改革", "reform"),
    "civil_air_defense": ("人民防空", "civil air defence"),
    "housing_provident_fund": ("住房公积金", "housing provident fund"),
    "defense": ("国防", "defence"),
    "state_security": ("国家安全", "state security"),
    "customs": ("海关", "customs"),
    "immigration": ("移民管理", "immigration"),
    "civil_aviation": ("民航", "civil aviation"),
    "archives": ("档案", "archives"),
    "discipline": ("纪检监察", "discipline inspection"),
}


def check_lang(lang: str) -> str:
    """Return ``lang`` when it is "zh" or "en"; raise ValueError otherwise."""
    if lang not in LANGS:
        raise ValueError(f"lang: must be one of {', '.join(LANGS)}, not {lang!r}")
    return lang


def label(key: object, lang: str = "zh") -> str:
    """The display word for ``key`` in ``lang``; an unknown key is shown with "_" as spaces.

    >>> label("lead", "zh")
    '牵头'
    """
    text = "" if key is None else str(key)
    pair = LABELS.get(text)
    if pair is None:
        return text.replace("_", " ")
    return pair[0] if check_lang(lang) == "zh" else pair[1]


def labels(keys: Iterable[object], lang: str = "zh") -> list[str]:
    """``label`` for each key, in order.

    >>> labels(["led", "supported"], "en")
    ['led', 'supported']
    """
    return [label(k, lang) for k in keys]


def text(zh: str, en: str, lang: str = "zh") -> str:
    """Pick the sentence written for ``lang`` (for captions and titles that are not single keys).

    >>> text("参照文件", "reference document", "en")
    'reference document'
    """
    return zh if check_lang(lang) == "zh" else en
